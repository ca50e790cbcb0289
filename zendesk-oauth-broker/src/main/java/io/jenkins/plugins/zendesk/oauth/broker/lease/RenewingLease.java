package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.util.List;

/**
 * A block's lease: the current generation of its token, renewed before Zendesk expires it;
 * closing revokes every generation.
 *
 * <p>A successor is minted once two thirds of the current token's lifetime have passed (on the
 * broker's clock), with the same scopes, client, owner and authority, through the same ledger
 * protocol as every lease (intent, mint, record), linked to the block by {@link #blockId()}. The
 * superseded generation stays valid for a grace period (a sixth of its lifetime, at most one
 * minute) so that requests in flight finish, and is then revoked. At most two tokens of a block
 * are live at any moment. A failed renewal is retried with capped backoff until it succeeds.
 * Thread-safe.
 */
public final class RenewingLease implements AutoCloseable {

    RenewingLease() {
    }

    /** Links the block's generations in the ledger; what a host keeps to {@link TokenBroker#resume} after a restart. */
    public String blockId() {
        throw new UnsupportedOperationException("not yet");
    }

    public ZendeskSite site() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The generation to use now; changes at each renewal. */
    public TokenGeneration current() {
        throw new UnsupportedOperationException("not yet");
    }

    /** False when Zendesk reported no expiry: nothing is renewed. */
    public boolean renews() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Stops renewal and revokes every live generation once (the current one, one in its grace
     * period, and a successor whose mint is in flight, after that mint ends). Idempotent and
     * thread-safe: concurrent and later calls wait for and share the outcome. Runs to the end on
     * an interrupted thread (an aborted build), restoring the interrupt status. Never throws for
     * Zendesk failures: a token that could not be revoked stays {@code REVOKE_PENDING} in the
     * ledger for the sweeper, and its outcome says so.
     *
     * @return one outcome per generation revoked by this lease's end, oldest first
     */
    public List<RevocationOutcome> revokeAll() {
        throw new UnsupportedOperationException("not yet");
    }

    /** {@link #revokeAll()}. */
    @Override
    public void close() {
        revokeAll();
    }
}
