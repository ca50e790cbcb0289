package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.InvisibleAction;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.HashSet;
import java.util.Set;

/**
 * Remembers, on a build, which credentials' deprecation notice its log already shows: the notice
 * is printed once per build and credential, however many blocks mint with it.
 */
final class DeprecationNotice extends InvisibleAction {
    private final Set<String> shown = new HashSet<>();

    private synchronized boolean firstTime(String credentialsId) {
        return shown.add(credentialsId);
    }

    /** Prints {@code notice} for this credential unless this build's log already has it; nothing when there is none. */
    static void oncePerBuild(@NonNull Run<?, ?> build, @NonNull TaskListener listener, @NonNull String credentialsId,
                             @CheckForNull String notice) {
        if (notice == null) {
            return;
        }
        DeprecationNotice marker;
        // Parallel branches of one build bind at once: one marker per build.
        synchronized (DeprecationNotice.class) {
            marker = build.getAction(DeprecationNotice.class);
            if (marker == null) {
                marker = new DeprecationNotice();
                build.addAction(marker);
            }
        }
        if (marker.firstTime(credentialsId)) {
            listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_deprecated(credentialsId, notice));
        }
    }
}
