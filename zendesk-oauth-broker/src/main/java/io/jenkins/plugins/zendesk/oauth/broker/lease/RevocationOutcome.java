package io.jenkins.plugins.zendesk.oauth.broker.lease;

import java.time.Duration;
import java.util.Optional;

/**
 * How a revocation ended.
 *
 * @param error present when the token could not be revoked; it stays in the ledger for the sweeper
 */
public record RevocationOutcome(long tokenId, boolean alreadyGone, Duration took, Optional<String> error) {

    /** True when Zendesk confirmed the token is no longer usable (204 or 404). */
    public boolean revoked() {
        return error.isEmpty();
    }
}
