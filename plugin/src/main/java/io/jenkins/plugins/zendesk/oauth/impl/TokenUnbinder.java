package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import java.io.IOException;
import java.io.Serial;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;

/**
 * Revokes the binding's token at the end of the block. Serialized with the Pipeline program (and
 * so it survives a controller restart): holds only ids and the site, never the token nor any
 * secret. It finds the admin credential again through {@link RunToken#revoker}, because nothing
 * else survives a restart.
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
        RunToken.Revoker revoker;
        try {
            revoker = RunToken.revoker(build, credentialsId, site);
        } catch (AbortException e) {
            leaveToSweeper(broker, listener, e.getMessage());
            return;
        }
        // Never throws for Zendesk failures: a failed revocation stays in the ledger for the sweeper.
        RunToken.printRevoked(listener, broker.revoke(revoker.site(), revoker.auth(), tokenId, entryId, owner));
    }

    /** The credential is unusable here: mark the entry for the sweeper (and the admin's page) and say so. */
    private void leaveToSweeper(TokenBroker broker, TaskListener listener, String why) {
        try {
            broker.leaveToSweeper(entryId, why);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not mark Zendesk token " + tokenId + " for the sweeper", e);
        }
        RunToken.printNotRevoked(listener, tokenId, why);
    }
}
