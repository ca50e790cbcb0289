package io.jenkins.plugins.zendesk.oauth.broker.emulator;

/** Who sent a request, as resolved from its {@code Authorization} header. */
sealed interface Caller {

    /** No {@code Authorization} header. */
    record Anonymous() implements Caller {
    }

    /** Basic credentials that do not authenticate (unknown, wrong, or that kind of access disabled). */
    record BadCredentials() implements Caller {
    }

    /** A Bearer token that is unknown, revoked or expired. */
    record BadBearer() implements Caller {
    }

    /** An admin or agent authenticated by API token, password or a pre-existing admin Bearer token. */
    record Staff(EmulatorState.User user) implements Caller {
        boolean admin() {
            return user.role() == EmulatorState.Role.ADMIN;
        }
    }

    /** A live, unexpired token minted through the emulator (or {@link ZendeskEmulator#mintExternally}). */
    record TokenHolder(IssuedToken token) implements Caller {
    }
}
