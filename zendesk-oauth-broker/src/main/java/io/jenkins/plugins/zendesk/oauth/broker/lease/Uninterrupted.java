package io.jenkins.plugins.zendesk.oauth.broker.lease;

import java.util.function.Supplier;

/**
 * Runs cleanup (revocation, ledger bookkeeping after a failed mint) with the thread's interrupt
 * status cleared, and restores it afterwards. An aborted build interrupts its thread, and on an
 * interrupted thread the JDK HTTP client and {@code FileChannel} fail at once, which would leave
 * the token live and its ledger entry stale. The transport's request timeout and deadline still
 * bound the work.
 */
final class Uninterrupted {
    private Uninterrupted() {
    }

    static void run(Runnable work) {
        run(() -> {
            work.run();
            return null;
        });
    }

    static <T> T run(Supplier<T> work) {
        boolean interrupted = Thread.interrupted();
        try {
            return work.get();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
