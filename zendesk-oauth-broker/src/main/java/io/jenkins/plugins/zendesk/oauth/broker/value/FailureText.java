package io.jenkins.plugins.zendesk.oauth.broker.value;

/**
 * What a log, the ledger or a page may say about a failure. The broker's own exceptions are
 * written to be shown (they name the field and the fix, and never hold a secret); any other
 * exception's message is withheld, because the JDK quotes its input there (an invalid header
 * value, for instance, is quoted whole, secret included).
 */
public final class FailureText {
    private FailureText() {
    }

    public static String of(Throwable failure) {
        if (failure instanceof ZendeskException && failure.getMessage() != null) {
            return failure.getMessage();
        }
        return "unexpected " + failure.getClass().getName() + " (its message is not shown: it could quote a secret)";
    }
}
