package io.jenkins.plugins.zendesk.oauth.broker.value;

/**
 * Length bounds checked before any pattern sees an input: a form check or a step argument can be
 * megabytes long, and no valid value comes close to these bounds.
 */
public final class InputLimits {
    /** A site URL: scheme, a DNS name of at most 253 characters and a port. */
    static final int SITE = 512;
    /** An email address (RFC 5321: a path is at most 256 octets including the brackets). */
    public static final int EMAIL = 254;
    /** An OAuth client's numeric id or unique identifier (Zendesk: at most 255 characters). */
    public static final int CLIENT = 255;
    /** One scope; the longest valid one, {@code satisfaction_ratings:write}, has 26 characters. */
    static final int SCOPE = 64;
    /** A list of scopes as typed in a form field or a step argument. */
    static final int SCOPE_LIST = 4096;
    /** A secret: API tokens have 40 characters, OAuth tokens and client secrets 64. */
    public static final int SECRET = 4096;

    private InputLimits() {
    }

    /**
     * Rejects a text longer than {@code max}; O(1), never echoes the text.
     *
     * @return {@code text}
     * @throws ZendeskInputException naming {@code field}
     */
    public static String require(String text, int max, String field, String what) {
        if (text != null && text.length() > max) {
            throw new ZendeskInputException(field, what + " is too long (" + text.length() + " characters; at most " + max
                    + "); enter the value itself, not a file or a page");
        }
        return text;
    }
}
