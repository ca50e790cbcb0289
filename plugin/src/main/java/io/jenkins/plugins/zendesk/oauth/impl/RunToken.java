package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.zendesk.oauth.LedgerAuthority;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.value.Sentences;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintedToken;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Zendesk token leased to a run: the admin credential found in the run's context, what to ask
 * the broker for, and the console lines every block prints. Used when a block starts (the
 * {@code withZendeskToken} step, the {@code zendeskOAuthToken} binding) and when it ends (the
 * step's end, the binding's {@link TokenUnbinder}), also after a restart, when only ids survived.
 * Lives only in memory: never serialized.
 */
final class RunToken {
    private final Run<?, ?> run;
    private final String credentialsId;
    private final ZendeskAdminCredentials credentials;

    RunToken(@NonNull Run<?, ?> run, @NonNull String credentialsId, @NonNull ZendeskAdminCredentials credentials) {
        this.run = run;
        this.credentialsId = credentialsId;
        this.credentials = credentials;
    }

    /** The owner recorded in the ledger: the run. */
    @NonNull
    static String owner(@NonNull Run<?, ?> run) {
        return run.getExternalizableId();
    }

    @NonNull
    ZendeskAdminCredentials credentials() {
        return credentials;
    }

    /**
     * What the broker mints for a block asking for {@code scopes} (empty: the credential's defaults).
     *
     * @throws ZendeskException naming the field when the credential or the scopes cannot be used
     */
    @NonNull
    LeaseRequest request(@NonNull List<String> scopes) {
        ZendeskSite site = ZendeskBrokerService.site(credentials.getSite());
        return new LeaseRequest(site, credentials.adminAuth(SecretTextResolver.forRun(run)), credentials.mintingClient(),
                BlockInput.resolveScopes(scopes, credentials), BlockInput.ceilingOf(credentials), owner(run),
                new LedgerAuthority(credentialsId, run.getParent().getFullName()).format());
    }

    /** The admin authentication that revokes a block's tokens on {@code site}, found again in the run's context. */
    record Revoker(ZendeskSite site, AdminAuth auth) {
    }

    /**
     * Finds the credential again to revoke tokens minted on {@code siteText}.
     *
     * @throws AbortException saying why the tokens are left to the sweeper: the credential is gone,
     *     points to another site now (its secret is never sent elsewhere), or is unusable
     */
    @NonNull
    static Revoker revoker(@NonNull Run<?, ?> run, String credentialsId, String siteText) throws AbortException {
        try {
            ZendeskSite site = ZendeskBrokerService.site(siteText);
            ZendeskAdminCredentials found = CredentialsProvider.findCredentialById(credentialsId, ZendeskAdminCredentials.class, run);
            if (found == null) {
                throw new AbortException(Messages.ZendeskOAuthTokenBinding_unbindNoCredential(credentialsId));
            }
            if (!ZendeskBrokerService.site(found.getSite()).equals(site)) {
                throw new AbortException(Messages.ZendeskOAuthTokenBinding_unbindSiteChanged(credentialsId, siteText));
            }
            return new Revoker(site, found.adminAuth(SecretTextResolver.forRun(run)));
        } catch (ZendeskException e) {
            throw new AbortException(e.getMessage());
        }
    }

    // ------------------------------------------------------------------ console lines

    static void printMinted(@NonNull TaskListener listener, @NonNull ZendeskSite site, @NonNull MintedToken token, @NonNull Duration took) {
        String id = Long.toString(token.id());
        String scopes = token.scopes().toString();
        String ms = Long.toString(took.toMillis());
        Optional<String> expiresAt = token.expiresAt().map(Object::toString);
        listener.getLogger().println(expiresAt.isPresent()
                ? Messages.ZendeskOAuthTokenBinding_mintedExpiring(id, scopes, site.toString(), ms, expiresAt.get())
                : Messages.ZendeskOAuthTokenBinding_minted(id, scopes, site.toString(), ms));
    }

    static void printRenewed(@NonNull TaskListener listener, @NonNull MintedToken previous, @NonNull MintedToken next) {
        listener.getLogger().println(Messages.WithZendeskTokenStep_renewed(Long.toString(previous.id()), Long.toString(next.id()),
                next.scopes().toString(), next.expiresAt().map(Object::toString).orElse(Messages.WithZendeskTokenStep_never())));
    }

    static void printRevoked(@NonNull TaskListener listener, @NonNull RevocationOutcome outcome) {
        String id = Long.toString(outcome.tokenId());
        String ms = Long.toString(outcome.took().toMillis());
        if (outcome.revoked()) {
            listener.getLogger().println(outcome.alreadyGone()
                    ? Messages.ZendeskOAuthTokenBinding_alreadyRevoked(id, ms)
                    : Messages.ZendeskOAuthTokenBinding_revoked(id, ms));
        } else {
            printNotRevoked(listener, outcome.tokenId(), outcome.error().orElse(""));
        }
    }

    static void printNotRevoked(@NonNull TaskListener listener, long tokenId, String why) {
        listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_revokeFailed(Long.toString(tokenId), Sentences.end(why)));
    }
}
