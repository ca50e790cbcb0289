package io.jenkins.plugins.zendesk.oauth.broker.ledger;

/** Turns a cause into the text the ledger's messages end with. */
final class ErrorText {
    private ErrorText() {
    }

    /** The cause's message, or its class name when it has none: a ledger message never ends in {@code null}. */
    static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
