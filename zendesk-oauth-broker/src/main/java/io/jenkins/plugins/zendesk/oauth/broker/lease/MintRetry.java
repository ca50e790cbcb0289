package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import java.util.function.Supplier;

/**
 * One more mint when the first one's outcome is unknown (timeout, dropped connection, 5xx after
 * the request left). Safe because each attempt records its own intent first: the first attempt's
 * entry stays {@code UNCERTAIN}, and the reconciler revokes its token, if Zendesk created one,
 * once no overlapping mint is in flight. A dropped keep-alive connection then costs a build nothing.
 * Not retried when the thread was interrupted (an abort wants no token).
 */
final class MintRetry {
    private MintRetry() {
    }

    /** Runs {@code attempt}; after an unknown outcome, tells {@code observer} and runs it once more. */
    static <T> T once(Supplier<T> attempt, LeaseObserver observer) {
        MintOutcomeUnknownException first;
        try {
            return attempt.get();
        } catch (MintOutcomeUnknownException unknown) {
            if (Thread.currentThread().isInterrupted()) {
                throw unknown;
            }
            first = unknown;
        }
        try {
            observer.mintRetried(first.getMessage());
        } catch (RuntimeException observerFailed) {
            first.addSuppressed(observerFailed);
        }
        try {
            return attempt.get();
        } catch (MintOutcomeUnknownException second) {
            MintOutcomeUnknownException both = new MintOutcomeUnknownException("The outcome of two mints in a row is unknown. First: "
                    + first.getMessage() + " Second: " + second.getMessage(), first.sentAt(), second.gaveUpAt(), second);
            both.addSuppressed(first);
            throw both;
        } catch (RuntimeException secondFailed) {
            // The retry certainly created nothing, but the first attempt's outcome is still open: that is what the caller must hear.
            MintOutcomeUnknownException firstOpen = new MintOutcomeUnknownException(first.getMessage() + " A second attempt failed: "
                    + secondFailed.getMessage(), first.sentAt(), first.gaveUpAt(), first);
            firstOpen.addSuppressed(secondFailed);
            throw firstOpen;
        }
    }
}
