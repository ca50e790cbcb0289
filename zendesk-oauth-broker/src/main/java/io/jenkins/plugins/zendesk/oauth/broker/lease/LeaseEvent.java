package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Audit events of a lease: ids, scopes and timings only, never a token value. */
public sealed interface LeaseEvent {
    ZendeskSite site();

    long tokenId();

    String owner();

    /** How long the Zendesk call took, retries included. */
    Duration took();

    /** @param expiresAt when Zendesk expires the token on its own, if it said so */
    record Minted(ZendeskSite site, long tokenId, long clientId, ScopeSet scopes, Optional<Instant> expiresAt, String owner, Duration took)
            implements LeaseEvent {
    }

    /**
     * A block's token was renewed: generation {@code generation} (token {@code tokenId}) succeeds
     * token {@code previousTokenId}, which is revoked after the grace period.
     *
     * @param blockId   links the block's generations in the ledger
     * @param expiresAt when Zendesk expires the new token on its own, if it said so
     */
    record Renewed(ZendeskSite site, long tokenId, long previousTokenId, String blockId, int generation, long clientId,
                   ScopeSet scopes, Optional<Instant> expiresAt, String owner, Duration took) implements LeaseEvent {
    }

    /** @param alreadyGone Zendesk no longer knew the token (404): revoked earlier or expired */
    record Revoked(ZendeskSite site, long tokenId, String owner, Duration took, boolean alreadyGone) implements LeaseEvent {
    }

    /** The token stays recorded in the ledger; the sweeper will retry. */
    record RevokeFailed(ZendeskSite site, long tokenId, String owner, Duration took, String error) implements LeaseEvent {
    }
}
