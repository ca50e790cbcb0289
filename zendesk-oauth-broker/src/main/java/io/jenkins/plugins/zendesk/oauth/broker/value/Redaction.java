package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Makes text from a server safe for a message: removes known secrets and anything that looks
 * like a token, strips HTML tags and bounds the length.
 */
public final class Redaction {
    // Long runs of token alphabet: API tokens are 40 characters, OAuth tokens 64 hex digits.
    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9+/=_-]{32,}");
    private static final Pattern TAGS = Pattern.compile("(?s)<(script|style)[^>]*>.*?</\\1>|<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Redaction() {
    }

    public static String excerpt(String text, Collection<SecretValue> secrets, int maxLength) {
        if (text == null) {
            return "";
        }
        String s = text;
        for (SecretValue secret : secrets) {
            s = s.replace(secret.reveal(), "****");
        }
        s = TAGS.matcher(s).replaceAll(" ");
        s = TOKEN_LIKE.matcher(s).replaceAll("****");
        s = SPACES.matcher(s).replaceAll(" ").trim();
        return s.length() <= maxLength ? s : s.substring(0, maxLength) + "...";
    }
}
