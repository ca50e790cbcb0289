package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The audit trail of tokens: one event on every path that creates or ends a token. Ids, scopes and
 * timings only, never a token value. Block tokens carry their ledger entry id and authority (the
 * host's key for the credential and job); control tokens have neither.
 */
public sealed interface LeaseEvent {
    ZendeskSite site();

    /** Zendesk's token id; 0 when Zendesk did not say (a control token whose lookup failed). */
    long tokenId();

    /** Who held the token (e.g. a Jenkins run id); empty for control tokens. */
    String owner();

    /** How long the Zendesk call took, retries included; zero when no call was made. */
    Duration took();

    /** The ledger entry that recorded the token; empty for control tokens. */
    String entryId();

    /** The ledger authority of the token (e.g. credential and job); empty for control tokens. */
    String authority();

    /** What ended a token. */
    enum EndedBy {
        /** The block that held it ended (or failed right after the mint). */
        BLOCK_END,
        /** Its successor was minted (a renewal) and its grace period ended. */
        RENEWAL,
        /** The sweeper: the owner is gone, or an earlier revocation failed. */
        SWEEPER,
        /** An administrator's "Revoke now". */
        ADMIN,
        /** The lease was interrupted before it could hand the token out. */
        ABANDONED_MINT,
        /** The ledger could not record the token, so it was never handed out. */
        LEDGER_FAILURE
    }

    /** @param expiresAt when Zendesk expires the token on its own, if it said so */
    record Minted(ZendeskSite site, long tokenId, long clientId, ScopeSet scopes, Optional<Instant> expiresAt, String owner, Duration took,
                  String entryId, String authority) implements LeaseEvent {
    }

    /**
     * A block's token was renewed: generation {@code generation} (token {@code tokenId}) succeeds
     * token {@code previousTokenId}, which is revoked after the grace period.
     *
     * @param blockId   links the block's generations in the ledger
     * @param expiresAt when Zendesk expires the new token on its own, if it said so
     */
    record Renewed(ZendeskSite site, long tokenId, long previousTokenId, String blockId, int generation, long clientId,
                   ScopeSet scopes, Optional<Instant> expiresAt, String owner, Duration took, String entryId, String authority)
            implements LeaseEvent {
    }

    /** @param alreadyGone Zendesk no longer knew the token (404): revoked earlier or expired */
    record Revoked(ZendeskSite site, long tokenId, String owner, Duration took, boolean alreadyGone, String entryId, String authority,
                   EndedBy endedBy, TokenFacts facts) implements LeaseEvent {
    }

    /** The token stays recorded in the ledger; the sweeper will retry (unless {@code endedBy} is {@link EndedBy#LEDGER_FAILURE}). */
    record RevokeFailed(ZendeskSite site, long tokenId, String owner, Duration took, String error, String entryId, String authority,
                        EndedBy endedBy, TokenFacts facts) implements LeaseEvent {
    }

    /** Zendesk expired the token on its own; the sweeper closed its ledger entry without a call. */
    record Expired(ZendeskSite site, long tokenId, String owner, String entryId, String authority, TokenFacts facts) implements LeaseEvent {
        @Override
        public Duration took() {
            return Duration.ZERO;
        }
    }

    /**
     * Reconciliation found a token of a mint whose outcome was unknown (nobody held it) and revoked it.
     *
     * @param took how long the whole reconciliation of the entry took
     */
    record OrphanRevoked(ZendeskSite site, long tokenId, String owner, Duration took, boolean alreadyGone, String entryId, String authority,
                         TokenFacts facts) implements LeaseEvent {
    }

    /** An event of a control token: it has no owner, ledger entry or authority. */
    sealed interface ControlTokenEvent extends LeaseEvent {
        @Override
        default String owner() {
            return "";
        }

        @Override
        default String entryId() {
            return "";
        }

        @Override
        default String authority() {
            return "";
        }
    }

    /**
     * A control token (client credentials grant) was obtained.
     *
     * @param client the OAuth client's unique identifier
     */
    record ControlGranted(ZendeskSite site, long tokenId, String client, Instant expiresAt, Duration took) implements ControlTokenEvent {
    }

    /**
     * A control token was revoked (replaced, or no longer needed), or its revocation failed.
     *
     * @param reason why it was revoked
     * @param error  present when the revocation failed; the token then expires by itself
     */
    record ControlRevoked(ZendeskSite site, long tokenId, String client, String reason, Duration took, Optional<String> error)
            implements ControlTokenEvent {
    }
}
