package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable record of every token that may be live. The order of writes is what makes "no token is
 * ever lost" hold: an intent is written before the mint request leaves, it becomes {@code LIVE}
 * once Zendesk names the token, and it is removed only after a confirmed revocation.
 * Every method but {@link #forget(String)} persists before it returns. A caller interrupted while
 * waiting may get {@link LedgerInterruptedException}: its change goes on without it.
 */
public interface LeaseLedger {

    /**
     * Records the intent to mint, before the request leaves: the entry {@code intent} describes
     * (site, client, owner, authority, scopes, and block and generation for a renewal), with a
     * fresh id, the current time as {@code intentAt} and {@code nextAttempt}, state
     * {@code MINTING} and no failures. {@code intent} itself is not changed.
     */
    LedgerEntry recordIntent(LedgerEntry.Builder intent);

    /** Records the intent to mint a block's first (or only) token, before the request leaves. */
    default LedgerEntry recordIntent(String site, long clientId, String owner, String authority, ScopeSet scopes) {
        return recordIntent(LedgerEntry.builder().site(site).clientId(clientId).owner(owner).authority(authority).scopes(scopes.asStrings()));
    }

    /** The mint succeeded: the entry now names its token, and when Zendesk expires it (if Zendesk said). */
    LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt);

    /** A mint with unknown outcome, a failed revoke or reconcile: the sweeper takes over from {@code retryAt}. */
    LedgerEntry recordFailure(String entryId, LedgerEntry.State state, String error, Instant retryAt);

    /** Moves an entry to another state without counting a failure (e.g. LIVE to REVOKE_PENDING when its owner is gone). */
    LedgerEntry updateState(String entryId, LedgerEntry.State state);

    /** Forgets an entry: only after a confirmed revocation, or a mint that certainly created nothing. */
    void remove(String entryId);

    /**
     * Like {@link #remove(String)}, without waiting for the removal to be durable: for the removal
     * after a confirmed revocation, which need not delay anyone. If it is lost (a crash, a failed
     * write), the entry stays and the sweeper's revocation answers 404 and removes it.
     */
    default void forget(String entryId) {
        remove(entryId);
    }

    Optional<LedgerEntry> find(String entryId);

    /** A snapshot of all entries, oldest intent first. */
    List<LedgerEntry> entries();
}
