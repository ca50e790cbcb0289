package io.jenkins.plugins.zendesk.oauth.broker.bench;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
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
    public LedgerEntry recordIntent(String site, long clientId, String owner, String authority, ScopeSet scopes) {
        Instant now = Instant.now();
        LedgerEntry entry = new LedgerEntry(UUID.randomUUID().toString(), site, clientId, Optional.empty(), owner, authority,
                scopes.asStrings(), now, Optional.empty(), Optional.empty(), LedgerEntry.State.MINTING, 0, Optional.empty(), now);
        entries.put(entry.id(), entry);
        return entry;
    }

    @Override
    public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
        return entries.computeIfPresent(entryId, (id, e) -> new LedgerEntry(id, e.site(), e.clientId(), Optional.of(tokenId), e.owner(),
                e.authority(), e.scopes(), e.intentAt(), Optional.of(createdAt), expiresAt, LedgerEntry.State.LIVE, e.failures(), e.lastError(),
                e.nextAttempt()));
    }

    @Override
    public LedgerEntry recordFailure(String entryId, LedgerEntry.State state, String error, Instant retryAt) {
        return entries.computeIfPresent(entryId, (id, e) -> new LedgerEntry(id, e.site(), e.clientId(), e.tokenId(), e.owner(),
                e.authority(), e.scopes(), e.intentAt(), e.mintedAt(), e.expiresAt(), state, e.failures() + 1, Optional.ofNullable(error), retryAt));
    }

    @Override
    public LedgerEntry updateState(String entryId, LedgerEntry.State state) {
        return entries.computeIfPresent(entryId, (id, e) -> new LedgerEntry(id, e.site(), e.clientId(), e.tokenId(), e.owner(),
                e.authority(), e.scopes(), e.intentAt(), e.mintedAt(), e.expiresAt(), state, e.failures(), e.lastError(), e.nextAttempt()));
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
