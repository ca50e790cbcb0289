package io.jenkins.plugins.zendesk.oauth.broker.value;

/** Joins texts from several sources (Zendesk's own error text, our fixes) into clean sentences. */
public final class Sentences {
    private Sentences() {
    }

    /** {@code text} ending with exactly one sentence mark: Zendesk's texts sometimes bring their own period. */
    public static String end(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            return trimmed;
        }
        char last = trimmed.charAt(trimmed.length() - 1);
        return last == '.' || last == '!' || last == '?' ? trimmed : trimmed + ".";
    }
}
