package io.jenkins.plugins.zendesk.oauth;

import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker's events in the system log: ids, scopes and timings, never a token value. Numbers as
 * text: MessageFormat would group their digits.
 */
final class LeaseEventLog implements LeaseListener {
    /** The logger these lines always had: administrators' log recorders look there. */
    private static final Logger LOGGER = Logger.getLogger(ZendeskBrokerService.class.getName());

    @Override
    public void on(LeaseEvent event) {
        if (event instanceof LeaseEvent.Minted m) {
            LOGGER.log(Level.INFO, "Minted Zendesk token id {0} with scopes [{1}] on {2} for {3} in {4} ms; expires {5}",
                    new Object[] {Long.toString(m.tokenId()), m.scopes(), m.site(), m.owner(), Long.toString(m.took().toMillis()),
                        m.expiresAt().map(Object::toString).orElse("when revoked")});
        } else if (event instanceof LeaseEvent.Renewed r) {
            LOGGER.log(Level.INFO, "Renewed Zendesk token id {0} -> {1} (generation {2} of block {3}) with scopes [{4}] on {5} for {6} in {7} ms; expires {8}",
                    new Object[] {Long.toString(r.previousTokenId()), Long.toString(r.tokenId()), Integer.toString(r.generation()), r.blockId(),
                        r.scopes(), r.site(), r.owner(), Long.toString(r.took().toMillis()), r.expiresAt().map(Object::toString).orElse("when revoked")});
        } else if (event instanceof LeaseEvent.Revoked r) {
            LOGGER.log(Level.INFO, "Revoked Zendesk token id {0} on {1} for {2} in {3} ms ({4}){5}",
                    new Object[] {Long.toString(r.tokenId()), r.site(), r.owner(), Long.toString(r.took().toMillis()), r.endedBy(),
                        r.alreadyGone() ? " (already gone)" : ""});
        } else if (event instanceof LeaseEvent.RevokeFailed f) {
            LOGGER.log(Level.WARNING, "Could not revoke Zendesk token id {0} on {1} for {2} ({3}); the sweeper will retry: {4}",
                    new Object[] {Long.toString(f.tokenId()), f.site(), f.owner(), f.endedBy(), f.error()});
        } else if (event instanceof LeaseEvent.Expired e) {
            LOGGER.log(Level.INFO, "Zendesk token id {0} on {1} for {2} had expired; its ledger entry is closed",
                    new Object[] {Long.toString(e.tokenId()), e.site(), e.owner()});
        } else if (event instanceof LeaseEvent.OrphanRevoked o) {
            LOGGER.log(Level.WARNING, "Reconciliation found Zendesk token id {0} on {1} of an unfinished mint for {2} and revoked it{3}",
                    new Object[] {Long.toString(o.tokenId()), o.site(), o.owner(), o.alreadyGone() ? " (already gone)" : ""});
        } else if (event instanceof LeaseEvent.ControlGranted g) {
            LOGGER.log(Level.FINE, "Granted Zendesk control token id {0} on {1} to client {2}; expires {3}",
                    new Object[] {Long.toString(g.tokenId()), g.site(), g.client(), g.expiresAt()});
        } else if (event instanceof LeaseEvent.ControlRevoked c) {
            LOGGER.log(Level.FINE, "Revoked Zendesk control token id {0} on {1} of client {2} ({3}){4}",
                    new Object[] {Long.toString(c.tokenId()), c.site(), c.client(), c.reason(), c.error().map(e -> ": failed: " + e).orElse("")});
        }
    }
}
