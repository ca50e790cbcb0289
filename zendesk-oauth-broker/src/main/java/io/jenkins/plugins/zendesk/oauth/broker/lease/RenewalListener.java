package io.jenkins.plugins.zendesk.oauth.broker.lease;

import java.time.Instant;

/**
 * Told about a {@link RenewingLease}'s renewals. Called on the broker's scheduler thread (or, for
 * {@link #retired}, on the thread that ends the lease); must be quick and never throw (an exception
 * is logged and otherwise ignored).
 */
public interface RenewalListener {

    /** A successor is minted and recorded; the predecessor stays valid for the grace period, then is revoked. */
    void renewed(TokenGeneration previous, TokenGeneration next);

    /**
     * A renewal attempt failed; it is retried at {@code nextAttempt} (on the broker's clock), also
     * after the current token expired. {@code error} names no secret.
     */
    void renewalFailed(TokenGeneration current, String error, Instant nextAttempt);

    /** A superseded generation was revoked, or its revocation failed and it is left to the sweeper. */
    default void retired(TokenGeneration old, RevocationOutcome outcome) {
    }

    /** A listener that ignores everything. */
    static RenewalListener none() {
        return new RenewalListener() {
            @Override
            public void renewed(TokenGeneration previous, TokenGeneration next) {
            }

            @Override
            public void renewalFailed(TokenGeneration current, String error, Instant nextAttempt) {
            }
        };
    }
}
