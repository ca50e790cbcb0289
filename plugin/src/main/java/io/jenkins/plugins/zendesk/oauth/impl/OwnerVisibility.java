package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Item;
import hudson.model.Job;
import jenkins.model.Jenkins;

/**
 * What the outstanding tokens page may tell its viewer about the run that owns a token. The page
 * needs only Overall/Manage, which grants no Item/Read: a job's name, and errors that name it, are
 * shown only to those who may read the job (administrators see everything, deleted jobs included).
 */
final class OwnerVisibility {
    private OwnerVisibility() {
    }

    /** Whether the current user may see the owner, a run id such as {@code folder/job#12}. */
    static boolean canSee(@NonNull String owner) {
        Jenkins jenkins = Jenkins.get();
        if (jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return true;
        }
        int hash = owner.lastIndexOf('#');
        if (hash <= 0) {
            return false;
        }
        try {
            // Checks Item/Read on the job and every folder above it; Item/Discover alone throws.
            Job<?, ?> job = jenkins.getItemByFullName(owner.substring(0, hash), Job.class);
            return job != null && job.hasPermission(Item.READ);
        } catch (RuntimeException notVisible) {
            return false;
        }
    }

    /** The owner, or a placeholder when the viewer may not see it. */
    @NonNull
    static String shown(@NonNull String owner) {
        return canSee(owner) ? owner : Messages.OwnerVisibility_hidden();
    }
}
