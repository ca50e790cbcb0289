package io.jenkins.plugins.zendesk.oauth.broker.auth;

import io.jenkins.plugins.zendesk.oauth.broker.value.Redaction;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the broker authenticates as a Zendesk admin on the token endpoints. The secret never
 * appears in {@link #toString()}. {@link Fixed} kinds send the same header on every request;
 * {@link ClientCredentials} obtains short-lived admin tokens from Zendesk (the transport's
 * control tokens).
 */
public sealed interface AdminAuth {

    /** Used in error messages: which kind of admin authentication failed, and where to fix it. */
    String describe();

    /** Login email, when this kind of authentication has one. */
    String email();

    /** The secret part, so that error excerpts can be scrubbed of it. */
    SecretValue secret();

    /** A kind whose {@code Authorization} header is the same on every request. */
    sealed interface Fixed extends AdminAuth {
        /** The value of the {@code Authorization} header. */
        String authorizationHeader();
    }

    /**
     * OAuth client credentials of a <em>confidential</em> client: the lasting way for unattended
     * jobs. The broker exchanges them for a short-lived control token
     * ({@code POST /oauth/tokens}, {@code grant_type=client_credentials}, scope {@code read write}),
     * which acts as the admin who owns the client.
     *
     * @param identifier      the client's unique identifier (not its numeric id)
     * @param secret          the client's secret
     * @param controlLifetime what the control token's {@code expires_in} asks for: more than 5 minutes, less than 48 hours
     */
    record ClientCredentials(String identifier, SecretValue secret, Duration controlLifetime) implements AdminAuth {
        /** Zendesk's bounds on {@code expires_in}: more than 300 s and less than 172,800 s. */
        public static final Duration MIN_LIFETIME_EXCLUSIVE = Duration.ofSeconds(300);
        public static final Duration MAX_LIFETIME_EXCLUSIVE = Duration.ofSeconds(172_800);
        public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
        private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.\\-]{1,255}");

        public ClientCredentials {
            String trimmed = identifier == null ? "" : identifier.trim();
            if (!IDENTIFIER.matcher(trimmed).matches()) {
                throw new ZendeskInputException("authentication.clientId", trimmed.isEmpty()
                        ? "is empty; enter the OAuth client's unique identifier (Admin Center > Apps and integrations > APIs > OAuth clients)"
                        : "'" + Redaction.excerpt(trimmed, List.of(), 80) + "' is not an OAuth client unique identifier (letters, digits, '_', '-', '.');"
                                + " enter the identifier shown in Admin Center, not the client's name or secret");
            }
            identifier = trimmed;
            Objects.requireNonNull(secret, "secret");
            controlLifetime = controlLifetime == null ? DEFAULT_LIFETIME : controlLifetime;
            if (controlLifetime.compareTo(MIN_LIFETIME_EXCLUSIVE) <= 0 || controlLifetime.compareTo(MAX_LIFETIME_EXCLUSIVE) >= 0) {
                throw new ZendeskInputException("authentication.controlTokenMinutes", "must be more than 5 and less than 2880 minutes"
                        + " (Zendesk's bounds for expires_in: more than 300 and less than 172800 seconds), got "
                        + controlLifetime.toMinutes() + " minutes");
            }
        }

        @Override
        public String describe() {
            return "OAuth client credentials of client '" + identifier + "'";
        }

        @Override
        public String email() {
            return null;
        }

        @Override
        public String toString() {
            return "ClientCredentials[identifier=" + identifier + ", secret=****, controlLifetime=" + controlLifetime + "]";
        }
    }

    /** API token authentication: Basic {@code {email}/token:{api_token}}. */
    record ApiToken(String email, SecretValue apiToken) implements Fixed {
        public ApiToken {
            email = validEmail(email);
            Objects.requireNonNull(apiToken, "apiToken");
        }

        @Override
        public String authorizationHeader() {
            return basic(email + "/token", apiToken.reveal());
        }

        @Override
        public SecretValue secret() {
            return apiToken;
        }

        @Override
        public String describe() {
            return "API token of " + email;
        }

        @Override
        public String toString() {
            return "ApiToken[email=" + email + ", apiToken=****]";
        }
    }

    /** Password authentication: Basic {@code {email}:{password}}. Discouraged; unavailable to SSO users. */
    record Password(String email, SecretValue password) implements Fixed {
        public Password {
            email = validEmail(email);
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String authorizationHeader() {
            return basic(email, password.reveal());
        }

        @Override
        public SecretValue secret() {
            return password;
        }

        @Override
        public String describe() {
            return "password of " + email;
        }

        @Override
        public String toString() {
            return "Password[email=" + email + ", password=****]";
        }
    }

    /** An existing admin OAuth access token: {@code Authorization: Bearer ...}. */
    record Bearer(SecretValue accessToken) implements Fixed {
        public Bearer {
            Objects.requireNonNull(accessToken, "accessToken");
        }

        @Override
        public String authorizationHeader() {
            return "Bearer " + accessToken.reveal();
        }

        @Override
        public SecretValue secret() {
            return accessToken;
        }

        @Override
        public String describe() {
            return "admin OAuth access token";
        }

        @Override
        public String email() {
            return null;
        }

        @Override
        public String toString() {
            return "Bearer[accessToken=****]";
        }
    }

    private static String basic(String user, String secret) {
        byte[] pair = (user + ":" + secret).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair);
    }

    /**
     * Deliberately loose (Zendesk decides), but rejects what would corrupt the Basic header.
     *
     * @throws ZendeskInputException naming the {@code email} field
     */
    private static String validEmail(String email) {
        String trimmed = email == null ? "" : email.trim();
        if (!Pattern.matches("[^\\s:/@]+@[^\\s:/@]+\\.[^\\s:/@]+", trimmed)) {
            throw new ZendeskInputException("email", "'" + trimmed + "' is not an email address; enter the Zendesk admin's login email, e.g. jenkins-robot@example.com");
        }
        return trimmed;
    }
}
