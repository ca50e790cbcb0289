package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes text from a server or a user safe for a message: removes known secrets and anything that
 * looks like a token, strips HTML tags and bounds the length. Linear in the length of the text,
 * of which at most {@link #MAX_SCANNED} characters are read.
 */
public final class Redaction {
    /** The most characters of a text that are scanned: messages show at most a few hundred. */
    static final int MAX_SCANNED = 8192;
    // Long runs of token alphabet: API tokens are 40 characters, OAuth tokens 64 hex digits.
    // Linear: a run is matched once, greedily, and never backtracked into.
    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9+/=_-]{32,}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final String MASK = "****";

    private Redaction() {
    }

    public static String excerpt(String text, Collection<SecretValue> secrets, int maxLength) {
        if (text == null) {
            return "";
        }
        String s = maskSecrets(text, secrets);
        s = stripTags(s);
        s = TOKEN_LIKE.matcher(s).replaceAll(MASK);
        s = SPACES.matcher(s).replaceAll(" ").trim();
        return s.length() <= maxLength ? s : s.substring(0, maxLength) + "...";
    }

    /** A user's value (an identifier, a name) as a message may echo it: token-like runs masked, at most 80 characters. */
    public static String shown(String text) {
        return excerpt(text, List.of(), 80);
    }

    /**
     * The first {@link #MAX_SCANNED} characters of {@code text} with every occurrence of a secret
     * that starts there masked, even one that runs past the cut; a run of token alphabet cut in two
     * is dropped, so that no prefix of a token survives the cut.
     */
    private static String maskSecrets(String text, Collection<SecretValue> secrets) {
        int limit = Math.min(text.length(), MAX_SCANNED);
        boolean[] masked = new boolean[limit];
        for (SecretValue secret : secrets) {
            String value = secret.reveal();
            // Only occurrences that start before the cut matter: search no further than that.
            String window = text.substring(0, Math.min(text.length(), limit + value.length()));
            int markedUpTo = 0;
            for (int at = window.indexOf(value); at >= 0 && at < limit; at = window.indexOf(value, at + 1)) {
                for (int i = Math.max(at, markedUpTo); i < Math.min(limit, at + value.length()); i++) {
                    masked[i] = true;
                }
                markedUpTo = Math.max(markedUpTo, at + value.length());
            }
        }
        int end = limit;
        if (limit < text.length() && isTokenChar(text.charAt(limit))) {
            while (end > 0 && isTokenChar(text.charAt(end - 1))) {
                end--;
            }
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            if (!masked[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !masked[i - 1]) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "+/=_-".indexOf(c) >= 0;
    }

    /**
     * Replaces each tag, and each {@code <script>} or {@code <style>} element with its content, by
     * a space. One pass: every search starts where the previous one ended or is answered by a
     * precomputed last position, so no character is scanned twice.
     */
    static String stripTags(String s) {
        int lastScriptEnd = s.lastIndexOf("</script>");
        int lastStyleEnd = s.lastIndexOf("</style>");
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '<') {
                out.append(c);
                i++;
                continue;
            }
            int close = s.indexOf('>', i + 1);
            if (close < 0) {
                out.append(s, i, s.length()); // no '>' anywhere after: no more tags
                break;
            }
            int next = close + 1;
            if (s.startsWith("script", i + 1) && lastScriptEnd >= next) {
                next = s.indexOf("</script>", next) + "</script>".length();
            } else if (s.startsWith("style", i + 1) && lastStyleEnd >= next) {
                next = s.indexOf("</style>", next) + "</style>".length();
            }
            out.append(' ');
            i = next;
        }
        return out.toString();
    }
}
