package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerInterruptedException;
import io.jenkins.plugins.zendesk.oauth.broker.value.FailureText;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintedToken;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransportException;
import java.time.Duration;
import java.time.Instant;

/**
 * The ledger protocol of every mint, first token or renewal alike: records the intent, mints,
 * records the token. On failure nothing is left live: a definite failure removes the intent, an
 * unknown outcome leaves it {@code UNCERTAIN} for reconciliation, a token that cannot be recorded
 * is revoked. Thread-safe.
 */
record RecordedMints(ZendeskTransport transport, LeaseLedger ledger, Revocations revocations) {
    /**
     * Mints one token of {@code request} under the ledger's protocol; the mint waits for the rate
     * limit as {@code admission} says.
     *
     * @param blockId the block a renewal belongs to; null for a block's first token (its entry id becomes the block id)
     */
    TokenGeneration mint(LeaseRequest request, long clientId, String blockId, int generation, Admission admission) {
        LedgerEntry intent = recordIntent(request, clientId, blockId, generation);
        Instant start = transport.clock().instant();
        MintedToken token;
        try {
            token = transport.admin(request.site(), request.auth()).waitingAs(admission).mint(clientId, request.scopes());
        } catch (ZendeskInputException | ZendeskApiException | ZendeskTransportException definite) {
            // Bad input, a refusal (4xx, 429), or a request that never left (the transport reports
            // every other outcome of a mint as MintOutcomeUnknownException): nothing was created.
            Uninterrupted.run(() -> {
                try {
                    ledger.forget(intent.id()); // nothing to protect any more: no need to wait for the disk
                } catch (RuntimeException ledgerFailure) {
                    // Keep the caller's real error; the intent left behind goes stale and is reconciled.
                    definite.addSuppressed(ledgerFailure);
                }
            });
            throw definite;
        } catch (RuntimeException unknown) {
            // Timeout, dropped connection, 5xx, interruption, or a bug: a token may exist.
            recordUncertain(intent, unknown);
            throw unknown;
        }
        Duration took = Duration.between(start, transport.clock().instant());
        try {
            ledger.recordMinted(intent.id(), token.id(), token.createdAt(), token.expiresAt());
        } catch (LedgerInterruptedException interrupted) {
            // The caller is going away (abort, timeout) and the token id may not be durable yet: do
            // not hand the token out; revoke it now, the entry (MINTING or LIVE) covers it meanwhile.
            Uninterrupted.run(() -> revocations.revoke(request.site(), request.auth(), token.id(), intent.id(), request.owner(),
                    transport.policy().initialBackoff(), false, Admission.revocation(), LeaseEvent.EndedBy.ABANDONED_MINT));
            throw interrupted;
        } catch (RuntimeException ledgerFailure) {
            // Cannot record the token: do not hand it out.
            revocations.revokeQuietly(request, token, intent.id());
            throw ledgerFailure;
        }
        return new TokenGeneration(generation, intent.id(), token, took);
    }

    /**
     * Writes the intent. An interrupt that comes before it is durable means no mint: the intent,
     * which is still being written, is forgotten again, and the caller learns why.
     */
    private LedgerEntry recordIntent(LeaseRequest request, long clientId, String blockId, int generation) {
        LedgerEntry intent;
        try {
            intent = ledger.recordIntent(LedgerEntry.builder().site(request.site().toString()).clientId(clientId).owner(request.owner())
                    .authority(request.authority()).scopes(request.scopes().asStrings()).blockId(blockId).generation(generation));
        } catch (LedgerInterruptedException interrupted) {
            ledger.forget(interrupted.entryId());
            throw interrupted;
        }
        if (Thread.currentThread().isInterrupted()) {
            ledger.forget(intent.id());
            throw new LedgerInterruptedException(intent.id(), "nothing was minted");
        }
        return intent;
    }

    private void recordUncertain(LedgerEntry intent, RuntimeException cause) {
        Uninterrupted.run(() -> {
            try {
                ledger.recordFailure(intent.id(), LedgerEntry.State.UNCERTAIN, FailureText.of(cause), transport.clock().instant());
            } catch (RuntimeException ledgerFailure) {
                cause.addSuppressed(ledgerFailure);
            }
        });
    }
}
