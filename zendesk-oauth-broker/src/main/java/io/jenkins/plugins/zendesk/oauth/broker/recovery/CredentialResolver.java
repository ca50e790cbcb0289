package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.util.Optional;

/**
 * Finds the admin credential of a ledger entry again, from its {@link LedgerEntry#authority()}
 * (e.g. a Jenkins credentials id). The ledger never stores secrets, so the sweeper asks the host.
 */
@FunctionalInterface
public interface CredentialResolver {

    /**
     * @return the admin credential, or empty when it no longer exists (the entry then stays in the
     *         ledger with an error saying so). Implementations should also return empty when the
     *         credential belongs to another site than {@link LedgerEntry#site()}, so that an edited
     *         ledger file cannot send the credential elsewhere.
     */
    Optional<AdminAuth> resolve(LedgerEntry entry);
}
