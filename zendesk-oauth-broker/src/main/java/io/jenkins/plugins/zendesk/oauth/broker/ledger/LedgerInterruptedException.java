package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import java.nio.file.Path;

/**
 * The caller was interrupted while waiting for its change to become durable. The change itself
 * goes on: the ledger's writer completes it, or fails it for a real I/O reason, whoever waits.
 * The caller does not know which, so it must not act as if the change were durable (e.g. not
 * mint after an intent), and may undo it with {@link LeaseLedger#forget(String)}.
 */
public final class LedgerInterruptedException extends ZendeskException {
    private static final long serialVersionUID = 1L;

    private final String entryId;

    public LedgerInterruptedException(Path file, String entryId, InterruptedException cause) {
        super("interrupted while waiting for the ledger " + file + " to record entry " + entryId
                + " (build aborted or timed out?); the write goes on without the caller", cause);
        this.entryId = entryId;
    }

    /** The interrupt came while the change was written, and the caller noticed only after: {@code consequence} says what it did. */
    public LedgerInterruptedException(String entryId, String consequence) {
        super("interrupted while waiting for the ledger to record entry " + entryId + " (build aborted or timed out?); " + consequence);
        this.entryId = entryId;
    }

    /** The ledger entry whose change the caller stopped waiting for. */
    public String entryId() {
        return entryId;
    }
}
