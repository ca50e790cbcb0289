package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.util.Optional;

/**
 * Settles a mint whose outcome is unknown (a timeout or 5xx that may have created a token nobody
 * holds) before a renewing block mints again: without it, that token, the current one and the
 * next would be three live tokens of one block. {@code recovery.Reconciler} implements it.
 */
@FunctionalInterface
public interface MintSettler {

    /**
     * Revokes whatever token the entry's mint created and removes the entry, if that can be
     * decided now.
     *
     * @return empty when settled; otherwise why not yet (no secret)
     * @throws io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException when Zendesk cannot be asked
     */
    Optional<String> settle(LedgerEntry entry, ZendeskSite site, AdminAuth auth);

    /** Like {@link #settle(LedgerEntry, ZendeskSite, AdminAuth)}, telling {@code events} of each orphan token it revokes. */
    default Optional<String> settle(LedgerEntry entry, ZendeskSite site, AdminAuth auth, LeaseListener events) {
        return settle(entry, site, auth);
    }

    /** Leaves settling to the sweeper's reconciliation: settled once the entry has left the ledger. */
    static MintSettler bySweeper(LeaseLedger ledger) {
        return (entry, site, auth) -> ledger.find(entry.id()).isEmpty() ? Optional.empty()
                : Optional.of("the sweeper has not reconciled the mint of entry " + entry.id() + " yet");
    }
}
