package io.jenkins.plugins.zendesk.oauth;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.ACL;
import java.util.Collections;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Finds the Secret text credential an admin credential may refer to, in a given context: the
 * run (as the run's authentication, like {@code withCredentials}), or an item as SYSTEM for
 * background revocation of tokens minted earlier in that item.
 */
@FunctionalInterface
public interface SecretTextResolver {

    /** The Secret text credential with this id, or null when it is not visible in this context. */
    @CheckForNull
    StringCredentials find(@NonNull String credentialsId);

    /** Resolves in a run's context and records the use on the run. */
    static SecretTextResolver forRun(@NonNull Run<?, ?> run) {
        return id -> CredentialsProvider.track(run, CredentialsProvider.findCredentialById(id, StringCredentials.class, run));
    }

    /** Resolves as SYSTEM in an item's context (null: Jenkins root), for the sweeper. */
    static SecretTextResolver forItemAsSystem(@CheckForNull Item item) {
        return id -> CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItem(StringCredentials.class, item, ACL.SYSTEM2, Collections.emptyList()),
                CredentialsMatchers.withId(id));
    }
}
