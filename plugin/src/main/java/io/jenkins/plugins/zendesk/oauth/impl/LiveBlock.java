package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RenewalListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RenewingLease;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenGeneration;
import io.jenkins.plugins.zendesk.oauth.broker.value.Sentences;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import jenkins.util.Timer;
import org.jenkinsci.plugins.credentialsbinding.masking.SecretPatterns;

/**
 * A running {@code withZendeskToken} block, on the controller, in memory only: its renewing
 * lease, every value minted for it (for masking) and the node's token file to keep current.
 * Told about renewals on the broker's scheduler thread: it updates the masks and the current
 * generation at once, prints one line, and leaves the file write (a remote call) to Jenkins' timer.
 */
final class LiveBlock implements RenewalListener {
    private static final Logger LOGGER = Logger.getLogger(LiveBlock.class.getName());
    /** How often a file write that failed (node offline, e.g. after a restart) is tried again. */
    static final Duration FILE_RETRY = Duration.ofSeconds(3);

    /** Finds the block's token file on its node; null while the node is not reachable. */
    @FunctionalInterface
    interface FileLocator {
        @CheckForNull
        FilePath locate() throws IOException, InterruptedException;
    }

    private final String key;
    private volatile TaskListener listener;
    /** Every value minted for the block in this JVM: masked until the block ends. */
    private final List<String> values = new ArrayList<>();
    private volatile RenewingLease lease;
    private volatile TokenGeneration current;
    /** Completes when the block has a token, or exceptionally when it cannot get one after a restart. */
    private final CompletableFuture<TokenGeneration> ready = new CompletableFuture<>();
    private volatile FileLocator file;
    private final Object fileLock = new Object();
    /** Generation the file holds; the generation whose write failure was already reported. Guarded by fileLock. */
    private int written;
    private int reportedFailure;
    private volatile boolean ended;

    LiveBlock(@NonNull String key, @NonNull TaskListener listener) {
        this.key = key;
        this.listener = listener;
    }

    void setListener(@NonNull TaskListener listener) {
        this.listener = listener;
    }

    /**
     * The lease was granted (at the start, or on resume after a restart): its generation is now the block's.
     *
     * @return false when the block ended meanwhile: the caller revokes the lease
     */
    synchronized boolean attach(@NonNull RenewingLease lease) {
        if (ended) {
            return false;
        }
        this.lease = lease;
        adopt(lease.current());
        return true;
    }

    /** Nothing can be minted for the block after a restart: steps that start now fail with {@code why}. */
    void unavailable(@NonNull String why) {
        ready.completeExceptionally(new IOException(why));
    }

    private void adopt(TokenGeneration generation) {
        synchronized (values) {
            values.add(generation.token().value().reveal());
            BlockMasks.update(key, generation.number(), SecretPatterns.getAggregateSecretPattern(values));
            if (current == null || generation.number() > current.number()) {
                current = generation;
            }
        }
        ready.complete(generation);
    }

    /** The generation steps starting now get; waits (bounded) while a resumed block mints its first one. */
    @NonNull
    TokenGeneration current(@NonNull Duration wait) throws IOException, InterruptedException {
        TokenGeneration now = current;
        if (now != null) {
            return now;
        }
        try {
            ready.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(Messages.WithZendeskTokenStep_notYetResumed(), e);
        }
        return current;
    }

    boolean hasLease() {
        return lease != null;
    }

    // ------------------------------------------------------------------ renewal events

    @Override
    public void renewed(TokenGeneration previous, TokenGeneration next) {
        if (ended) {
            return;
        }
        adopt(next);
        RunToken.printRenewed(listener, previous.token(), next.token());
        scheduleFileWrite(Duration.ZERO);
    }

    @Override
    public void renewalFailed(TokenGeneration generation, String error, Instant nextAttempt) {
        if (!ended) {
            listener.getLogger().println(Messages.WithZendeskTokenStep_renewalFailed(Long.toString(generation.token().id()), Sentences.end(error),
                    nextAttempt.toString(), generation.token().expiresAt().map(Object::toString).orElse(Messages.WithZendeskTokenStep_never())));
        }
    }

    @Override
    public void retired(TokenGeneration old, RevocationOutcome outcome) {
        if (!outcome.revoked()) {
            RunToken.printNotRevoked(listener, outcome.tokenId(), outcome.error().orElse(""));
        }
    }

    // ------------------------------------------------------------------ the token file

    /** From now on, keep the file at {@code locator} holding the current generation; writes it now (or retries later). */
    void keepFile(@NonNull FileLocator locator) {
        this.file = locator;
        writeFile();
    }

    private void scheduleFileWrite(Duration delay) {
        if (file != null && !ended) {
            Timer.get().schedule(this::writeFile, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the current generation unless the file has it; on failure, says so once per generation and tries again. */
    void writeFile() {
        FileLocator locator = file;
        if (locator == null) {
            return;
        }
        synchronized (fileLock) {
            TokenGeneration generation = current;
            if (ended || generation == null || generation.number() <= written) {
                return;
            }
            try {
                FilePath target = locator.locate();
                if (target == null) {
                    throw new IOException(Messages.WithZendeskTokenStep_nodeOffline());
                }
                Pattern masks;
                synchronized (values) {
                    masks = SecretPatterns.getAggregateSecretPattern(values);
                }
                TokenFile.write(target, key, generation.number(), generation.token().value().reveal(), masks);
                written = generation.number();
            } catch (IOException | RuntimeException e) {
                if (reportedFailure < generation.number()) {
                    reportedFailure = generation.number();
                    listener.getLogger().println(Messages.WithZendeskTokenStep_fileNotWritten(Sentences.end(String.valueOf(e.getMessage()))));
                }
                scheduleFileWrite(FILE_RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ the end

    /**
     * Stops renewal and file writes and revokes every generation of the lease in memory (waiting
     * for a renewal in flight). Null when no lease is in memory (the caller revokes by block id).
     */
    @CheckForNull
    List<RevocationOutcome> end() {
        RenewingLease held;
        synchronized (this) {
            // From here on, attach() refuses a lease: whoever holds it revokes it.
            ended = true;
            held = lease;
        }
        ready.completeExceptionally(new IOException(Messages.WithZendeskTokenStep_ended()));
        return held == null ? null : held.revokeAll();
    }

    /** Deletes the token file (when there is one) and forgets the masks; says so when the node cannot be reached. */
    void deleteFile() {
        FileLocator locator = file;
        try {
            synchronized (fileLock) {
                FilePath target = locator == null ? null : locator.locate();
                if (target != null) {
                    TokenFile.delete(target, key);
                } else if (locator != null) {
                    listener.getLogger().println(Messages.WithZendeskTokenStep_fileNotDeleted(Messages.WithZendeskTokenStep_nodeOffline()));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "could not delete the token file of block " + key, e);
            listener.getLogger().println(Messages.WithZendeskTokenStep_fileNotDeleted(Sentences.end(String.valueOf(e.getMessage()))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            BlockMasks.forget(key);
        }
    }
}
