package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Functions;
import java.io.Serial;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Masks the block's token values in the failure of a step inside it, as credentials-binding does
 * for its values: a message (or a cause's, or a suppressed exception's) holding a value is
 * replaced by a copy with {@code ****}, keeping the stack trace. Holds only the block's key.
 */
final class BlockFailureMasking implements FailureHandler {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String block;

    BlockFailureMasking(@NonNull String block) {
        this.block = block;
    }

    @NonNull
    @Override
    public Throwable handle(@NonNull StepContext context, @NonNull Throwable failure) {
        Pattern pattern = BlockMasks.pattern(block);
        return pattern == null ? failure : masked(failure, pattern, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static Throwable masked(Throwable failure, Pattern pattern, Set<Throwable> seen) {
        if (!seen.add(failure)) {
            return new MaskedFailure("(cycle)");
        }
        if (!pattern.matcher(Functions.printThrowable(failure)).find()) {
            return failure;
        }
        String message = failure.getClass().getName() + ": " + Objects.requireNonNullElse(failure.getMessage(), "");
        MaskedFailure copy = new MaskedFailure(pattern.matcher(message).replaceAll("****"));
        copy.setStackTrace(failure.getStackTrace());
        if (failure.getCause() != null) {
            copy.initCause(masked(failure.getCause(), pattern, seen));
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            copy.addSuppressed(masked(suppressed, pattern, seen));
        }
        return copy;
    }

    /** A failure whose text held a token value: its class name and message, masked. */
    static final class MaskedFailure extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        MaskedFailure(String message) {
            super(message);
        }
    }
}
