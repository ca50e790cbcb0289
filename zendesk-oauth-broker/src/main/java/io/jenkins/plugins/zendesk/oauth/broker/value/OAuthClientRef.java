package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.regex.Pattern;

/**
 * The OAuth client to mint with: its numeric {@code id} (what the token endpoint needs) or its
 * unique {@code identifier} (what Admin Center shows), resolved through the List Clients endpoint.
 */
public sealed interface OAuthClientRef {

    /** A client known by its numeric id: no lookup needed. */
    record ById(long id) implements OAuthClientRef {
        public ById {
            if (id <= 0) {
                throw new ZendeskInputException("client", "the OAuth client id must be a positive number, got " + id);
            }
        }

        @Override
        public String toString() {
            return "client id " + id;
        }
    }

    /** A client known by its unique identifier, e.g. {@code jenkins_ci}. */
    record ByIdentifier(String identifier) implements OAuthClientRef {
        private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.\\-]{1,255}");

        public ByIdentifier {
            if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
                // The value is not echoed: what does not look like an identifier may be a secret pasted into the wrong field.
                throw new ZendeskInputException("client",
                        "is neither a numeric OAuth client id nor a unique identifier (letters, digits, '_', '-', '.', at most 255)");
            }
        }

        /** Token-like identifiers are masked: a secret pasted into the client field must not reach a build log. */
        @Override
        public String toString() {
            return "client '" + Redaction.shown(identifier) + "'";
        }
    }

    /** Digits only means an id; anything else is taken as the unique identifier. */
    static OAuthClientRef parse(String text) {
        InputLimits.require(text, InputLimits.CLIENT + 64, "client", "the OAuth client");
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw new ZendeskInputException("client",
                    "is empty; enter the OAuth client's numeric id or its unique identifier (Admin Center > Apps and integrations > APIs > OAuth clients)");
        }
        if (trimmed.chars().allMatch(Character::isDigit)) {
            try {
                return new ById(Long.parseLong(trimmed));
            } catch (NumberFormatException e) {
                throw new ZendeskInputException("client", "the OAuth client id is too large; enter the id shown in Admin Center");
            }
        }
        return new ByIdentifier(trimmed);
    }
}
