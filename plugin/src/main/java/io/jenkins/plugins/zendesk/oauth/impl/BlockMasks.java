package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The masking pattern of each running {@code withZendeskToken} block, in this JVM: on the
 * controller (set when a generation is minted) and on an agent (set by the {@link TokenFile}
 * writer before the file changes, and by a {@link BlockMaskingFilter} sent there). The console
 * filter looks it up for every line, so output of a process that was already running is masked
 * from the moment a new generation exists. Memory only: the values are never written anywhere.
 */
final class BlockMasks {
    /** One static map per JVM: an agent has no Jenkins singleton to hang it on. */
    private static final ConcurrentMap<String, Masks> BY_BLOCK = new ConcurrentHashMap<>();

    /**
     * @param generation the newest generation the pattern covers
     * @param pattern    every value of the block so far and its encoded forms
     */
    record Masks(int generation, @NonNull Pattern pattern) {
    }

    private BlockMasks() {
    }

    /**
     * Takes {@code pattern} for the block unless this JVM knows a newer one. A pattern made by
     * the controller covers every value it minted for the block; after a controller restart it
     * starts again from the new generation, so an agent then keeps masking the older values too.
     */
    static void update(@NonNull String block, int generation, @NonNull Pattern pattern) {
        BY_BLOCK.merge(block, new Masks(generation, pattern), BlockMasks::newer);
    }

    private static Masks newer(Masks old, Masks fresh) {
        if (fresh.generation() < old.generation()) {
            return old;
        }
        String oldText = old.pattern().pattern();
        String freshText = fresh.pattern().pattern();
        if (oldText.isEmpty() || freshText.contains(oldText)) {
            return fresh;
        }
        return new Masks(fresh.generation(), Pattern.compile(freshText.isEmpty() ? oldText : freshText + "|" + oldText));
    }

    @CheckForNull
    static Masks get(@NonNull String block) {
        return BY_BLOCK.get(block);
    }

    @CheckForNull
    static Pattern pattern(@NonNull String block) {
        Masks masks = BY_BLOCK.get(block);
        return masks == null ? null : masks.pattern();
    }

    static void forget(@NonNull String block) {
        BY_BLOCK.remove(block);
    }
}
