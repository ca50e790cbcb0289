package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.fixture.ForwardingLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ledger that fails or pauses on cue: intents that fail as a full disk would, and a pause after a
 * renewal's mint, before its token is recorded (the renewal is then "in flight").
 */
final class ScriptedLedger extends ForwardingLeaseLedger {
    private final AtomicInteger failingIntents = new AtomicInteger();
    private volatile CountDownLatch paused;
    private volatile CountDownLatch release;

    ScriptedLedger(LeaseLedger delegate) {
        super(delegate);
    }

    /** The next {@code count} intents fail. */
    void failIntents(int count) {
        failingIntents.set(count);
    }

    /** The next renewal's record (generation 2 or later) waits for {@link #release()}. */
    void pauseNextRenewalRecord() {
        paused = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    /** Waits until a renewal's token is minted and its record is paused; gives up after 20 s so a broken test cannot hang. */
    void awaitPaused() throws InterruptedException {
        if (!paused.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("no renewal reached its record");
        }
    }

    void release() {
        release.countDown();
    }

    @Override
    public LedgerEntry recordIntent(LedgerEntry.Builder intent) {
        if (failingIntents.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new LedgerException("cannot write the token ledger /var/jenkins/zendesk-oauth-token/ledger.json: No space left on device", null);
        }
        return delegate.recordIntent(intent);
    }

    @Override
    public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
        CountDownLatch gate = release;
        if (gate != null && delegate.find(entryId).map(LedgerEntry::generation).orElse(1) > 1) {
            paused.countDown();
            try {
                if (!gate.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("the paused record was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release = null;
        }
        return delegate.recordMinted(entryId, tokenId, createdAt, expiresAt);
    }

    @Override
    public void forget(String entryId) {
        delegate.forget(entryId);
    }

}
