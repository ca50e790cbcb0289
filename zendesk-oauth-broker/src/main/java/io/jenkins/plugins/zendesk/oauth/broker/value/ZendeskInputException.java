package io.jenkins.plugins.zendesk.oauth.broker.value;

/**
 * Bad input detected before any HTTP call: names the offending field and says how to fix it.
 * Nothing was minted.
 */
public final class ZendeskInputException extends ZendeskException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ZendeskInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The configuration or step field at fault, e.g. {@code scopes} or {@code site}. */
    public String field() {
        return field;
    }
}
