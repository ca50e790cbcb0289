package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerInterruptedException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintedToken;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker's revocation of one token: the Zendesk call, then the ledger entry settled (removed,
 * or kept {@code REVOKE_PENDING} with the error for the sweeper) and the event told. Whoever asks
 * (a lease, a block, the sweeper, a mint whose token cannot be recorded) says how long a failure
 * waits and who ended the token. Never throws for Zendesk failures. Thread-safe.
 *
 * @param events the broker's listener, failures contained
 */
record Revocations(ZendeskTransport transport, LeaseLedger ledger, LeaseListener events) {
    /** The broker's logger: what it logs about revocations stays where administrators look. */
    private static final Logger LOGGER = Logger.getLogger(TokenBroker.class.getName());

    /**
     * Revokes a token by id and settles its ledger entry.
     *
     * @param durableRemoval whether the entry's removal is on disk when this returns (the sweeper's reports count it)
     */
    RevocationOutcome revoke(ZendeskSite site, AdminAuth auth, long tokenId, String entryId, String owner,
                             Duration retryAfterFailure, boolean durableRemoval, Admission admission, LeaseEvent.EndedBy endedBy) {
        // Read before the entry goes: the end event carries what the ledger knew (authority, scopes, times).
        Optional<LedgerEntry> known = ledger.find(entryId);
        String authority = known.map(LedgerEntry::authority).orElse("");
        Instant start = transport.clock().instant();
        boolean revokedNow;
        try {
            revokedNow = transport.admin(site, auth).waitingAs(admission).revoke(tokenId);
        } catch (ZendeskException failure) {
            Duration took = Duration.between(start, transport.clock().instant());
            String error = rateLimited(failure) ? TokenBroker.RATE_LIMIT_PENDING + " (" + failure.getMessage() + ")" : failure.getMessage();
            try {
                ledger.recordFailure(entryId, LedgerEntry.State.REVOKE_PENDING, error,
                        transport.clock().instant().plus(retryAfterFailure));
            } catch (LedgerInterruptedException again) {
                // Interrupted once more during cleanup: the write goes on without us.
                LOGGER.log(Level.FINE, "stopped waiting for the ledger to record the failed revocation of Zendesk token " + tokenId, again);
            } catch (RuntimeException | Error ledgerFailure) {
                LOGGER.log(Level.WARNING, "could not record the failed revocation of Zendesk token " + tokenId, ledgerFailure);
            }
            events.on(new LeaseEvent.RevokeFailed(site, tokenId, owner, took, error, entryId, authority, endedBy, TokenFacts.of(known)));
            return new RevocationOutcome(tokenId, false, took, Optional.of(error));
        }
        Duration took = Duration.between(start, transport.clock().instant());
        try {
            if (durableRemoval) {
                ledger.remove(entryId);
            } else {
                ledger.forget(entryId);
            }
        } catch (LedgerInterruptedException again) {
            LOGGER.log(Level.FINE, "stopped waiting for the ledger to remove the entry of revoked Zendesk token " + tokenId, again);
        } catch (RuntimeException ledgerFailure) {
            // The token is revoked all the same; the stale entry only costs the sweeper a 404 later.
            LOGGER.log(Level.WARNING, "revoked Zendesk token " + tokenId + " but could not remove its ledger entry", ledgerFailure);
        }
        events.on(new LeaseEvent.Revoked(site, tokenId, owner, took, !revokedNow, entryId, authority, endedBy, TokenFacts.of(known)));
        return new RevocationOutcome(tokenId, !revokedNow, took, Optional.empty());
    }

    /** A token that cannot be recorded is not handed out: revoked at once, and only the audit trail and the log say so. */
    void revokeQuietly(LeaseRequest request, MintedToken token, String entryId) {
        TokenFacts facts = new TokenFacts(token.clientId(), token.scopes().asStrings(),
                Optional.of(token.createdAt()), token.expiresAt());
        Uninterrupted.run(() -> {
            Instant start = transport.clock().instant();
            try {
                boolean revokedNow = transport.admin(request.site(), request.auth()).waitingAs(Admission.revocation()).revoke(token.id());
                events.on(new LeaseEvent.Revoked(request.site(), token.id(), request.owner(), Duration.between(start, transport.clock().instant()),
                        !revokedNow, entryId, request.authority(), LeaseEvent.EndedBy.LEDGER_FAILURE, facts));
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "could not revoke Zendesk token " + token.id() + " after a ledger failure; revoke it in Zendesk", e);
                events.on(new LeaseEvent.RevokeFailed(request.site(), token.id(), request.owner(),
                        Duration.between(start, transport.clock().instant()), String.valueOf(e.getMessage()), entryId, request.authority(),
                        LeaseEvent.EndedBy.LEDGER_FAILURE, facts));
            }
        });
    }

    private static boolean rateLimited(ZendeskException failure) {
        return failure instanceof ZendeskApiException api && api.reason() == ZendeskApiException.Reason.RATE_LIMITED;
    }
}
