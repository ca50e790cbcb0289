package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;

/**
 * Tells a build that is still running that an administrator revoked its Zendesk token from
 * "Outstanding Zendesk tokens": one line in its console, so that whoever reads why its Zendesk
 * calls started failing with 401 finds the cause. Pipeline builds only; a freestyle build has no
 * public way to write to its log from outside.
 */
final class OwnerNotice {
    private static final Logger LOGGER = Logger.getLogger(OwnerNotice.class.getName());

    private OwnerNotice() {
    }

    /**
     * @param owner   the ledger entry's owner, a run's externalizable id
     * @param tokenId the Zendesk token id, or empty while unknown
     * @param user    who revoked it
     * @return whether a line was written
     */
    static boolean tellRevoked(@NonNull String owner, @NonNull String tokenId, @NonNull String user) {
        Run<?, ?> run;
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            // The admin acted on the entry, whether or not they may read the job: the build must learn it anyway.
            run = Run.fromExternalizableId(owner);
        } catch (RuntimeException notARun) {
            return false;
        }
        if (run == null || !run.isLogUpdated() || !(run instanceof FlowExecutionOwner.Executable executable)) {
            return false;
        }
        FlowExecutionOwner flowOwner = executable.asFlowExecutionOwner();
        if (flowOwner == null) {
            return false;
        }
        try {
            flowOwner.getListener().getLogger().println(Messages.OwnerNotice_revoked(tokenId.isEmpty() ? "?" : tokenId, user));
            return true;
        } catch (IOException e) {
            LOGGER.log(Level.FINE, "could not write to the log of " + owner, e);
            return false;
        }
    }
}
