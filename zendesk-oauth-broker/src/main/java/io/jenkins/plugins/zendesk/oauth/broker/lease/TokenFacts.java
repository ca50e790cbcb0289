package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the ledger knew about a token when it ended, so that each end event stands on its own.
 *
 * @param clientId  the minting OAuth client; 0 when unknown
 * @param scopes    the scopes asked for; empty when unknown
 * @param mintedAt  when Zendesk created it, if known
 * @param expiresAt when Zendesk expires it on its own, if it said so
 */
public record TokenFacts(long clientId, List<String> scopes, Optional<Instant> mintedAt, Optional<Instant> expiresAt) {
    public TokenFacts {
        scopes = List.copyOf(scopes);
    }

    private static TokenFacts unknown() {
        return new TokenFacts(0, List.of(), Optional.empty(), Optional.empty());
    }

    public static TokenFacts of(LedgerEntry entry) {
        return new TokenFacts(entry.clientId(), entry.scopes(), entry.mintedAt(), entry.expiresAt());
    }

    public static TokenFacts of(Optional<LedgerEntry> entry) {
        return entry.map(TokenFacts::of).orElseGet(TokenFacts::unknown);
    }
}
