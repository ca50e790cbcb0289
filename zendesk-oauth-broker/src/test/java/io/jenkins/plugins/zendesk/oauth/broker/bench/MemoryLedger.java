package io.jenkins.plugins.zendesk.oauth.broker.bench;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ledger that keeps entries in memory only: not durable, so never for real use. The benchmark
 * runs it beside {@code FileLeaseLedger} to show how much of a lease's cost is the file ledger.
 */
final class MemoryLedger implements LeaseLedger {
    private final Map<String, LedgerEntry> entries = new ConcurrentHashMap<>();

    @Override
    public LedgerEntry recordIntent(LedgerEntry.Builder intent) {
        Instant now = Instant.now();
        LedgerEntry entry = intent.copy().id(UUID.randomUUID().toString()).intentAt(now).nextAttempt(now).state(LedgerEntry.State.MINTING)
                .build();
        entries.put(entry.id(), entry);
        return entry;
    }

    @Override
    public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
        return entries.computeIfPresent(entryId, (id, e) -> e.toBuilder().tokenId(tokenId).mintedAt(createdAt).expiresAt(expiresAt)
                .state(LedgerEntry.State.LIVE).build());
    }

    @Override
    public LedgerEntry recordFailure(String entryId, LedgerEntry.State state, String error, Instant retryAt) {
        return entries.computeIfPresent(entryId, (id, e) -> e.toBuilder().state(state).failures(e.failures() + 1)
                .lastError(Optional.ofNullable(error)).nextAttempt(retryAt).build());
    }

    @Override
    public LedgerEntry updateState(String entryId, LedgerEntry.State state) {
        return entries.computeIfPresent(entryId, (id, e) -> e.toBuilder().state(state).build());
    }

    @Override
    public void remove(String entryId) {
        entries.remove(entryId);
    }

    @Override
    public Optional<LedgerEntry> find(String entryId) {
        return Optional.ofNullable(entries.get(entryId));
    }

    @Override
    public List<LedgerEntry> entries() {
        return entries.values().stream().sorted(Comparator.comparing(LedgerEntry::intentAt)).toList();
    }
}
