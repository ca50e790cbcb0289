package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pipeline block asks for. How long the token lives is the minting client's setting in
 * Zendesk; the mint answer reports it ({@link io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintedToken#expiresAt()}).
 *
 * @param client    the OAuth client that mints the block's token
 * @param ceiling   the most the credential allows; empty for no ceiling
 * @param owner     who holds the lease (e.g. a Jenkins run id), recorded in the ledger and events
 * @param authority opaque key with which the host finds the admin credential again for sweeping
 */
public record LeaseRequest(ZendeskSite site, AdminAuth auth, OAuthClientRef client, ScopeSet scopes, Optional<ScopeSet> ceiling,
                           String owner, String authority) {

    public LeaseRequest {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(authority, "authority");
        ceiling = ceiling == null ? Optional.empty() : ceiling;
    }

    /**
     * Checks everything that can be checked without Zendesk.
     *
     * @throws ZendeskInputException naming the field at fault
     */
    void validate() {
        if (scopes.isEmpty()) {
            throw new ZendeskInputException("scopes", "no scopes requested; name at least one (e.g. tickets:read) or set default scopes on the credential");
        }
        ceiling.ifPresent(c -> scopes.requireWithin(c, "scopes"));
    }
}
