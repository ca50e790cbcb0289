package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.TaskListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The {@code withZendeskToken} blocks running on this controller, by key. What Pipeline
 * serializes for a block (its execution, environment, console filter, failure handler) holds the
 * key; the lease and the token values live here, in memory, and die with the controller.
 */
@Extension
@Restricted(NoExternalUse.class)
public final class LiveBlocks {
    private final ConcurrentMap<String, LiveBlock> blocks = new ConcurrentHashMap<>();

    @NonNull
    static LiveBlocks get() {
        return ExtensionList.lookupSingleton(LiveBlocks.class);
    }

    /** The block with this key, created if this controller does not know it yet (a start, or a resume). */
    @NonNull
    LiveBlock open(@NonNull String key, @NonNull TaskListener listener) {
        return blocks.computeIfAbsent(key, k -> new LiveBlock(k, listener));
    }

    @CheckForNull
    LiveBlock find(@NonNull String key) {
        return blocks.get(key);
    }

    /** Forgets the block; returns it if this controller knew it. */
    @CheckForNull
    LiveBlock remove(@NonNull String key) {
        return blocks.remove(key);
    }

    /** How many blocks run now: for tests. */
    int size() {
        return blocks.size();
    }
}
