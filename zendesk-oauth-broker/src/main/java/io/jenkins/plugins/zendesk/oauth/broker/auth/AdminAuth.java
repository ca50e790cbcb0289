package io.jenkins.plugins.zendesk.oauth.broker.auth;

import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the broker authenticates as a Zendesk admin on the token endpoints. The secret never
 * appears in {@link #toString()}.
 */
public sealed interface AdminAuth {

    /** The value of the {@code Authorization} header. */
    String authorizationHeader();

    /** Used in error messages: which kind of admin authentication failed, and where to fix it. */
    String describe();

    /** Login email, when this kind of authentication has one. */
    String email();

    /** The secret part, so that error excerpts can be scrubbed of it. */
    SecretValue secret();

    /** API token authentication: Basic {@code {email}/token:{api_token}}. */
    record ApiToken(String email, SecretValue apiToken) implements AdminAuth {
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
    record Password(String email, SecretValue password) implements AdminAuth {
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
    record Bearer(SecretValue accessToken) implements AdminAuth {
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
