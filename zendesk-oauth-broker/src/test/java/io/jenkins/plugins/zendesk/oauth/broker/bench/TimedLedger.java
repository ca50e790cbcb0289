package io.jenkins.plugins.zendesk.oauth.broker.bench;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Delegates to the real ledger and adds up the wall time spent in its writes (each one fsyncs). */
final class TimedLedger implements LeaseLedger {
    private final LeaseLedger delegate;
    private final LongAdder nanos = new LongAdder();
    private final LongAdder writes = new LongAdder();

    TimedLedger(LeaseLedger delegate) {
        this.delegate = delegate;
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
    }

    private <T> T timed(Supplier<T> write) {
        long start = System.nanoTime();
        try {
            return write.get();
        } finally {
            nanos.add(System.nanoTime() - start);
            writes.increment();
        }
    }

    @Override
    public LedgerEntry recordIntent(String site, long clientId, String owner, String authority, ScopeSet scopes) {
        return timed(() -> delegate.recordIntent(site, clientId, owner, authority, scopes));
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
    public Optional<LedgerEntry> find(String entryId) {
        return delegate.find(entryId);
    }

    @Override
    public List<LedgerEntry> entries() {
        return delegate.entries();
    }
}
