package io.jenkins.plugins.zendesk.oauth.broker.auth;

import io.jenkins.plugins.zendesk.oauth.broker.value.InputLimits;
import io.jenkins.plugins.zendesk.oauth.broker.value.Redaction;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the broker authenticates as a Zendesk admin on the token endpoints. The secret never
 * appears in {@link #toString()}. {@link Fixed} kinds send the same header on every request;
 * {@link ClientCredentials} obtains short-lived admin tokens from Zendesk (the transport's
 * control tokens). Each kind says how it authorizes a call ({@link #authorize}) and what to check
 * when Zendesk rejects it ({@link #rejectionAdvice()}), so that callers need not tell kinds apart.
 */
public sealed interface AdminAuth {

    /** Used in error messages: which kind of admin authentication failed, and where to fix it. */
    String describe();

    /** The secret part, so that error excerpts can be scrubbed of it. */
    SecretValue secret();

    /**
     * What to check when Zendesk does not accept this authentication (HTTP 401, or an anonymous answer
     * to {@code users/me}): a sentence or two for the end of an error message.
     */
    String rejectionAdvice();

    /** Hands this kind's way of authorizing a call to {@code authorizer}, which knows how to send it. */
    <T> T authorize(Authorizer<T> authorizer);

    /**
     * Sends a call the way a kind asks (see {@link #authorize}). Implemented by the transport, so that
     * this layer knows nothing of HTTP or of how control tokens are obtained.
     */
    interface Authorizer<T> {
        /** The kind sends the same {@code Authorization} header value on every call. */
        T withHeader(String authorization);

        /** The kind exchanges {@code credentials} for a control token and sends that as a Bearer token. */
        T withControlToken(ClientCredentials credentials);
    }

    /** A kind whose {@code Authorization} header is the same on every request. */
    sealed interface Fixed extends AdminAuth {
        /** The value of the {@code Authorization} header. */
        String authorizationHeader();

        @Override
        default <T> T authorize(Authorizer<T> authorizer) {
            return authorizer.withHeader(authorizationHeader());
        }
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
        private static final Duration MIN_LIFETIME_EXCLUSIVE = Duration.ofSeconds(300);
        private static final Duration MAX_LIFETIME_EXCLUSIVE = Duration.ofSeconds(172_800);
        public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
        private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.\\-]{1,255}");

        public ClientCredentials {
            InputLimits.require(identifier, InputLimits.CLIENT + 64, "authentication.clientId", "the OAuth client identifier");
            String trimmed = identifier == null ? "" : identifier.trim();
            if (!IDENTIFIER.matcher(trimmed).matches()) {
                throw new ZendeskInputException("authentication.clientId", trimmed.isEmpty()
                        ? "is empty; enter the OAuth client's unique identifier (Admin Center > Apps and integrations > APIs > OAuth clients)"
                        // Not echoed: what is no identifier may be the secret, pasted into the wrong field.
                        : "is not an OAuth client unique identifier (letters, digits, '_', '-', '.', at most 255);"
                                + " enter the identifier shown in Admin Center, not the client's name or secret");
            }
            identifier = trimmed;
            secret = SecretHygiene.clean(Objects.requireNonNull(secret, "secret"), "authentication.clientSecret", "the client secret");
            controlLifetime = controlLifetime == null ? DEFAULT_LIFETIME : controlLifetime;
            if (controlLifetime.compareTo(MIN_LIFETIME_EXCLUSIVE) <= 0 || controlLifetime.compareTo(MAX_LIFETIME_EXCLUSIVE) >= 0) {
                throw new ZendeskInputException("authentication.controlTokenMinutes", "must be more than 5 and less than 2880 minutes"
                        + " (Zendesk's bounds for expires_in: more than 300 and less than 172800 seconds), got "
                        + controlLifetime.toMinutes() + " minutes");
            }
        }

        @Override
        public String describe() {
            return "OAuth client credentials of client '" + Redaction.shown(identifier) + "'";
        }

        @Override
        public String rejectionAdvice() {
            return "The control token of client '" + identifier + "' was refused even after a new one was obtained:"
                    + " check that the client's owner is still an active admin, and that the client is not disabled.";
        }

        @Override
        public <T> T authorize(Authorizer<T> authorizer) {
            return authorizer.withControlToken(this);
        }

        @Override
        public String toString() {
            return "ClientCredentials[identifier=" + Redaction.shown(identifier) + ", secret=****, controlLifetime=" + controlLifetime + "]";
        }
    }

    /** API token authentication: Basic {@code {email}/token:{api_token}}. */
    record ApiToken(String email, SecretValue apiToken) implements Fixed {
        public ApiToken {
            email = validEmail(email);
            apiToken = SecretHygiene.clean(Objects.requireNonNull(apiToken, "apiToken"), "authentication.apiToken", "the API token");
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
        public String rejectionAdvice() {
            // Zendesk's API token retirement ("Migrating from API tokens to OAuth access tokens"): idle tokens are
            // deactivated since 2026-07-28, all of them on 2027-04-30.
            return "Zendesk deactivates API tokens that have not been used for a while (since 2026-07-28) and all API tokens on"
                    + " 2027-04-30: switch this credential to OAuth client credentials (see \"Migrating from API tokens\" in the"
                    + " plugin's admin guide). Until then, check the admin email and API token of the credential, and that API token"
                    + " access is enabled in Admin Center > Apps and integrations > APIs > API configuration.";
        }

        @Override
        public String toString() {
            return "ApiToken[email=" + email + ", apiToken=****]";
        }
    }

    /** An existing admin OAuth access token: {@code Authorization: Bearer ...}. */
    record Bearer(SecretValue accessToken) implements Fixed {
        public Bearer {
            accessToken = SecretHygiene.clean(Objects.requireNonNull(accessToken, "accessToken"), "authentication.accessToken",
                    "the OAuth access token");
            if (!SecretHygiene.isHeaderSafe(accessToken.reveal())) {
                throw new ZendeskInputException("authentication.accessToken", "the OAuth access token contains a character that cannot be"
                        + " sent in an HTTP header (beyond Latin-1); enter the token exactly as Zendesk issued it");
            }
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
        public String rejectionAdvice() {
            return "The admin OAuth access token is expired, revoked or invalid: replace it in the credential (OAuth access tokens now expire;"
                    + " switch to OAuth client credentials).";
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
     * Deliberately loose (Zendesk decides), but rejects what would corrupt the Basic header: one
     * {@code @}, no whitespace, control character, {@code :} or {@code /}, and a dot inside the
     * domain. Bounded and linear: no pattern, one pass.
     *
     * @throws ZendeskInputException naming the {@code email} field
     */
    private static String validEmail(String email) {
        InputLimits.require(email, InputLimits.EMAIL, "email", "the email address");
        String trimmed = email == null ? "" : email.trim();
        int at = trimmed.indexOf('@');
        String domain = at < 0 ? "" : trimmed.substring(at + 1);
        int dot = domain.indexOf('.', 1);
        boolean valid = at > 0 && domain.indexOf('@') < 0 && dot > 0 && dot < domain.length() - 1;
        for (int i = 0; valid && i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            valid = !Character.isWhitespace(c) && !Character.isISOControl(c) && c != ':' && c != '/';
        }
        if (!valid) {
            throw new ZendeskInputException("email", "'" + Redaction.shown(trimmed) + "' is not an email address; enter the Zendesk admin's"
                    + " login email, e.g. jenkins-robot@example.com");
        }
        return trimmed;
    }
}
