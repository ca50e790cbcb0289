package io.jenkins.plugins.zendesk.oauth.broker.bench;

import io.jenkins.plugins.zendesk.oauth.broker.fixture.ForwardingLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Delegates to the real ledger and adds up the wall time its callers spend waiting for writes,
 * and the file syncs that happen meanwhile (with one caller at a time: the syncs on its critical
 * path). {@link #forget} is counted apart: nobody waits for it.
 */
final class TimedLedger extends ForwardingLeaseLedger {
    private final LongSupplier syncs;
    private final LongAdder nanos = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder waitedSyncs = new LongAdder();
    private final LongAdder forgets = new LongAdder();
    private long syncsAtReset;

    TimedLedger(LeaseLedger delegate, LongSupplier syncs) {
        super(delegate);
        this.syncs = syncs;
    }

    long waitedSyncs() {
        return waitedSyncs.sum();
    }

    long allSyncs() {
        return syncs.getAsLong() - syncsAtReset;
    }

    long forgets() {
        return forgets.sum();
    }

    long nanos() {
        return nanos.sum();
    }

    long writes() {
        return writes.sum();
    }

    void reset() {
        nanos.reset();
        writes.reset();
        waitedSyncs.reset();
        forgets.reset();
        syncsAtReset = syncs.getAsLong();
    }

    private <T> T timed(Supplier<T> write) {
        long syncsBefore = syncs.getAsLong();
        long start = System.nanoTime();
        try {
            return write.get();
        } finally {
            nanos.add(System.nanoTime() - start);
            writes.increment();
            waitedSyncs.add(syncs.getAsLong() - syncsBefore);
        }
    }

    @Override
    public LedgerEntry recordIntent(LedgerEntry.Builder intent) {
        return timed(() -> delegate.recordIntent(intent));
    }

    @Override
    public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
        return timed(() -> delegate.recordMinted(entryId, tokenId, createdAt, expiresAt));
    }

    @Override
    public LedgerEntry recordFailure(String entryId, LedgerEntry.State state, String error, Instant retryAt) {
        return timed(() -> delegate.recordFailure(entryId, state, error, retryAt));
    }

    @Override
    public LedgerEntry updateState(String entryId, LedgerEntry.State state) {
        return timed(() -> delegate.updateState(entryId, state));
    }

    @Override
    public void remove(String entryId) {
        timed(() -> {
            delegate.remove(entryId);
            return null;
        });
    }

    @Override
    public void forget(String entryId) {
        forgets.increment();
        delegate.forget(entryId);
    }

}
