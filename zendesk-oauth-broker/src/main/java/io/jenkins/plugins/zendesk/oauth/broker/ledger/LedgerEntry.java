package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One token that may be live at Zendesk. Holds ids, scopes and times only: never the token value
 * nor any admin secret.
 *
 * @param id          ledger-local id of this entry
 * @param site        the Zendesk site origin, e.g. {@code https://acme.zendesk.com}
 * @param clientId    the OAuth client the token was minted with
 * @param tokenId     Zendesk's token id; empty while the mint is in flight or its outcome is unknown
 * @param owner       who minted it, e.g. a Jenkins run id {@code folder/job#42}
 * @param authority   opaque key the host uses to find the admin credential again (e.g. a credentials id)
 * @param scopes      the scopes requested
 * @param intentAt    when the intent was recorded, just before the mint request left
 * @param mintedAt    when Zendesk created the token, if known
 * @param expiresAt   when Zendesk expires the token on its own, if it said so in the mint answer
 * @param state       see {@link State}
 * @param failures    failed revoke or reconcile attempts so far
 * @param lastError   the last failure's message (no secrets), if any
 * @param nextAttempt earliest time the sweeper should try again
 */
public record LedgerEntry(String id, String site, long clientId, Optional<Long> tokenId, String owner, String authority,
                          List<String> scopes, Instant intentAt, Optional<Instant> mintedAt, Optional<Instant> expiresAt, State state,
                          int failures, Optional<String> lastError, Instant nextAttempt) {

    /** Where the entry stands. */
    public enum State {
        /** Written before the mint request; the token id is not known yet. */
        MINTING,
        /** The mint's outcome is unknown (timeout, crash, 5xx): reconciliation must find the token, if any. */
        UNCERTAIN,
        /** Minted and handed to its owner, which will revoke it when done. */
        LIVE,
        /** Revocation failed or the owner is gone: the sweeper must revoke it. */
        REVOKE_PENDING
    }

    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(intentAt, "intentAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        scopes = List.copyOf(scopes);
        tokenId = tokenId == null ? Optional.empty() : tokenId;
        mintedAt = mintedAt == null ? Optional.empty() : mintedAt;
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
        lastError = lastError == null ? Optional.empty() : lastError;
    }

    LedgerEntry withMinted(long token, Instant created, Optional<Instant> expires) {
        return new LedgerEntry(id, site, clientId, Optional.of(token), owner, authority, scopes, intentAt, Optional.of(created), expires,
                State.LIVE, failures, lastError, nextAttempt);
    }

    /** Whether Zendesk has certainly expired the token by {@code now}, allowing {@code margin} for clock differences. */
    public boolean expiredBy(Instant now, java.time.Duration margin) {
        return tokenId.isPresent() && expiresAt.isPresent() && expiresAt.get().plus(margin).isBefore(now);
    }

    LedgerEntry withFailure(State newState, String error, Instant retryAt) {
        return new LedgerEntry(id, site, clientId, tokenId, owner, authority, scopes, intentAt, mintedAt, expiresAt, newState, failures + 1,
                Optional.ofNullable(error), retryAt);
    }

    LedgerEntry withState(State newState) {
        return new LedgerEntry(id, site, clientId, tokenId, owner, authority, scopes, intentAt, mintedAt, expiresAt, newState, failures,
                lastError, nextAttempt);
    }
}
