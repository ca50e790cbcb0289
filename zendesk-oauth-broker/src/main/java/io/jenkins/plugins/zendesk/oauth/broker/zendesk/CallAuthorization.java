package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import java.util.Optional;

/**
 * The {@code Authorization} header of one attempt of a call, as the call's kind of admin
 * authentication asks ({@link AdminAuth#authorize}): the kind's own header, or a control token from
 * the transport's cache. The client credentials grant has none: its credentials are in its body.
 */
final class CallAuthorization {
    private static final CallAuthorization NONE = new CallAuthorization(Optional.empty(), null, null);

    private final Optional<String> header;
    /** With {@link #controlToken}: the credentials the control token stands for; null for other kinds. */
    private final AdminAuth.ClientCredentials credentials;
    private final SecretValue controlToken;

    private CallAuthorization(Optional<String> header, AdminAuth.ClientCredentials credentials, SecretValue controlToken) {
        this.header = header;
        this.credentials = credentials;
        this.controlToken = controlToken;
    }

    /** How {@code call} authenticates now; a control token is granted or renewed first if needed. */
    static CallAuthorization of(ZendeskCall call, ControlTokens controlTokens, Admission admission) {
        if (call.grant().isPresent()) {
            return NONE;
        }
        return call.auth().authorize(new AdminAuth.Authorizer<>() {
            @Override
            public CallAuthorization withHeader(String authorization) {
                return new CallAuthorization(Optional.of(authorization), null, null);
            }

            @Override
            public CallAuthorization withControlToken(AdminAuth.ClientCredentials credentials) {
                SecretValue token = controlTokens.token(call.origin(), credentials, admission).value();
                return new CallAuthorization(Optional.of("Bearer " + token.reveal()), credentials, token);
            }
        });
    }

    /** The {@code Authorization} header value, if the call sends one. */
    Optional<String> header() {
        return header;
    }

    /**
     * Zendesk answered 401. A control token may have been revoked or expired early: then it is marked
     * for replacement and true says that one more attempt, with a new one, is worth it. A 401 means
     * nothing happened, so that attempt is safe. False for a kind whose header cannot change.
     */
    boolean retireRefusedControlToken(ControlTokens controlTokens, String origin) {
        if (controlToken == null) {
            return false;
        }
        controlTokens.invalidate(origin, credentials, controlToken);
        return true;
    }
}
