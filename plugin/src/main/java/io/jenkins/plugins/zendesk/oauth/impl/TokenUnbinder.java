package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.zendesk.oauth.Messages;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.Sentences;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.io.IOException;
import java.io.Serial;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;

/**
 * Revokes the token at the end of the block. Serialized with the Pipeline program (and so it
 * survives a controller restart): holds only ids and the site, never the token nor any secret.
 * It re-resolves the admin credential from the run, because nothing else survives a restart.
 */
final class TokenUnbinder implements MultiBinding.Unbinder {
    private static final Logger LOGGER = Logger.getLogger(TokenUnbinder.class.getName());

    @Serial
    private static final long serialVersionUID = 1L;

    private final String site;
    private final long tokenId;
    private final String entryId;
    private final String credentialsId;
    private final String owner;

    TokenUnbinder(String site, long tokenId, String entryId, String credentialsId, String owner) {
        this.site = site;
        this.tokenId = tokenId;
        this.entryId = entryId;
        this.credentialsId = credentialsId;
        this.owner = owner;
    }

    @Override
    public void unbind(@NonNull Run<?, ?> build, @CheckForNull FilePath workspace, @CheckForNull Launcher launcher,
                       @NonNull TaskListener listener) throws IOException, InterruptedException {
        TokenBroker broker = ZendeskBrokerService.get().broker();
        AdminAuth auth;
        ZendeskSite zendeskSite;
        try {
            zendeskSite = ZendeskBrokerService.site(site);
            ZendeskAdminCredentials credentials = CredentialsProvider.findCredentialById(credentialsId, ZendeskAdminCredentials.class, build);
            if (credentials == null) {
                leaveToSweeper(broker, listener, Messages.ZendeskOAuthTokenBinding_unbindNoCredential(credentialsId));
                return;
            }
            // Never send the admin credential to another site than the one the token came from.
            if (!ZendeskBrokerService.site(credentials.getSite()).equals(zendeskSite)) {
                leaveToSweeper(broker, listener, Messages.ZendeskOAuthTokenBinding_unbindSiteChanged(credentialsId, site));
                return;
            }
            auth = credentials.adminAuth(SecretTextResolver.forRun(build));
        } catch (ZendeskException e) {
            leaveToSweeper(broker, listener, e.getMessage());
            return;
        }
        // Never throws for Zendesk failures: a failed revocation stays in the ledger for the sweeper.
        RevocationOutcome outcome = broker.revoke(zendeskSite, auth, tokenId, entryId, owner);
        if (outcome.revoked()) {
            listener.getLogger().println(outcome.alreadyGone()
                    ? Messages.ZendeskOAuthTokenBinding_alreadyRevoked(Long.toString(tokenId), Long.toString(outcome.took().toMillis()))
                    : Messages.ZendeskOAuthTokenBinding_revoked(Long.toString(tokenId), Long.toString(outcome.took().toMillis())));
        } else {
            listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_revokeFailed(Long.toString(tokenId), Sentences.end(outcome.error().orElse(""))));
        }
    }

    /** The credential is unusable here: mark the entry for the sweeper (and the admin's page) and say so. */
    private void leaveToSweeper(TokenBroker broker, TaskListener listener, String why) {
        try {
            broker.ledger().recordFailure(entryId, LedgerEntry.State.REVOKE_PENDING, why, Instant.now());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not mark Zendesk token " + tokenId + " for the sweeper", e);
        }
        listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_revokeFailed(Long.toString(tokenId), Sentences.end(why)));
    }
}
