package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link LeaseLedger} in two files: a snapshot, {@code ledger.json} (format 1, as every earlier
 * version wrote it), and an append-only journal beside it, {@code ledger.json.journal}, one JSON
 * record per line.
 *
 * <p><b>Writes.</b> A change is applied in memory at once and handed to one writer thread, which
 * appends every change waiting at that moment to the journal and syncs it once (group commit).
 * The caller waits for that sync only. Callers never touch the files themselves, so an interrupt
 * of a caller (a Pipeline {@code timeout}, an abort) cannot close a file channel under another
 * caller's write: an interrupted caller stops waiting ({@link LedgerInterruptedException}) while
 * its write goes on and completes or fails for a real I/O reason. The writer is a thread of this
 * ledger that nobody else knows, so nobody interrupts it; if something does, it retries. A
 * removal nobody waits for ({@link #forget}) waits up to 50 ms for a change that someone waits
 * for, and shares its sync.
 *
 * <p><b>Compaction.</b> Every {@code compactAfter} records, and when the journal cannot be
 * trusted for appends (first write, a torn tail, a failed write), the writer instead writes a
 * full snapshot atomically (temporary file, sync, rename, sync of the directory) that carries a
 * new journal generation, then starts a fresh journal with that generation in its first line. A
 * journal whose generation is not the snapshot's was already folded into it and is ignored.
 *
 * <p><b>Crashes.</b> A process killed at any instant leaves a snapshot that parses and a journal
 * whose only possible damage is a torn final line (a record whose sync never returned, so nobody
 * acted on it); that line is dropped on load. Anything else that does not parse is reported,
 * never replaced: the files may be the only record of live tokens. Thread-safe.
 *
 * <p><b>Parts.</b> This class keeps what callers see (the entries in memory) and the API;
 * {@link LedgerWriter} is the writer thread with its queue, {@link LedgerStore} the two files
 * (loading, appending, compacting), and {@link LedgerCodec} their JSON.
 */
public final class FileLeaseLedger implements LeaseLedger, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(FileLeaseLedger.class.getName());
    /** Journal records after which the writer compacts: bounds the journal to some hundred kilobytes. */
    private static final int DEFAULT_COMPACT_AFTER = 1000;

    /** Where the writer thread stands; lets crash tests stop the process at each step of a write. */
    public enum Step {
        /** Journal records appended, not yet synced. */
        JOURNAL_APPENDED,
        /** The new snapshot is written and synced to the temporary file, not yet renamed. */
        SNAPSHOT_WRITTEN,
        /** The new snapshot replaced the old one; the fresh journal is not yet started. */
        SNAPSHOT_RENAMED
    }

    /** Observes the writer's steps; {@link #NONE} in production. */
    @FunctionalInterface
    public interface Probe {
        Probe NONE = step -> { };

        void at(Step step);
    }

    private final Path file;
    private final Clock clock;
    private final LedgerStore store;
    private final LedgerWriter writer;

    /** Guards {@link #entries} and the writer's queue, so that both see the changes in the same order. */
    private final Object state = new Object();
    /** What callers see: everything durable plus the changes on their way to the disk. */
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();

    /**
     * Opens (or starts) the ledger at {@code file}.
     *
     * @throws LedgerException if the snapshot or the journal is corrupt or truncated; both are left untouched
     */
    public FileLeaseLedger(Path file, Clock clock) {
        this(file, clock, DEFAULT_COMPACT_AFTER, Probe.NONE);
    }

    /** As {@link #FileLeaseLedger(Path, Clock)}, compacting after {@code compactAfter} journal records, observed by {@code probe}. */
    public FileLeaseLedger(Path file, Clock clock, int compactAfter, Probe probe) {
        if (compactAfter < 1) {
            throw new IllegalArgumentException("compactAfter must be at least 1");
        }
        this.file = file.toAbsolutePath();
        this.clock = clock;
        this.store = new LedgerStore(this.file, compactAfter, probe);
        entries.putAll(store.loaded());
        this.writer = new LedgerWriter(this.file, store, state, this::undo);
    }

    public Path file() {
        return file;
    }

    /** The journal beside {@link #file()}; it may not exist. */
    public Path journal() {
        return store.journal();
    }

    /** File syncs done so far (journal, snapshot, directory): for the benchmark. */
    public long syncs() {
        return store.syncs();
    }

    @Override
    public LedgerEntry recordIntent(LedgerEntry.Builder intent) {
        Instant now = clock.instant();
        LedgerEntry entry = intent.copy().id(UUID.randomUUID().toString()).intentAt(now).nextAttempt(now)
                .state(LedgerEntry.State.MINTING).failures(0).build();
        return await(change(entry.id(), true, previous -> entry));
    }

    @Override
    public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
        return await(change(entryId, true, previous -> require(entryId, previous).withMinted(tokenId, createdAt, expiresAt)));
    }

    @Override
    public LedgerEntry recordFailure(String entryId, LedgerEntry.State state, String error, Instant retryAt) {
        return await(change(entryId, true, previous -> require(entryId, previous).withFailure(state, error, retryAt)));
    }

    @Override
    public LedgerEntry updateState(String entryId, LedgerEntry.State state) {
        return await(change(entryId, true, previous -> require(entryId, previous).withState(state)));
    }

    @Override
    public void remove(String entryId) {
        LedgerChange removal = change(entryId, true, previous -> null);
        if (removal != null) {
            await(removal);
        }
    }

    /**
     * Removes the entry at once in memory and writes the removal with the next group, without
     * waiting. If that write fails the entry comes back (it is logged): the sweeper then finds
     * the token already revoked and removes the entry again.
     */
    @Override
    public void forget(String entryId) {
        change(entryId, false, previous -> null);
    }

    @Override
    public Optional<LedgerEntry> find(String entryId) {
        synchronized (state) {
            return Optional.ofNullable(entries.get(entryId));
        }
    }

    @Override
    public List<LedgerEntry> entries() {
        List<LedgerEntry> all;
        synchronized (state) {
            all = new ArrayList<>(entries.values());
        }
        all.sort(Comparator.comparing(LedgerEntry::intentAt));
        return all;
    }

    /** Writes what is pending, then stops the writer thread. Later changes fail. */
    @Override
    public void close() {
        writer.close();
    }

    private static LedgerEntry require(String entryId, LedgerEntry entry) {
        if (entry == null) {
            throw new IllegalArgumentException("no ledger entry " + entryId);
        }
        return entry;
    }

    /**
     * Applies one change in memory and queues it for the writer, in the same order as in memory.
     *
     * @param update from the current entry (null if absent) to the new one (null to remove)
     * @return the queued change, or null when there is nothing to write (removing what is absent)
     */
    private LedgerChange change(String entryId, boolean awaited, UnaryOperator<LedgerEntry> update) {
        LedgerChange change;
        boolean startWriter;
        synchronized (state) {
            LedgerEntry previous = entries.get(entryId);
            LedgerEntry next = update.apply(previous);
            if (next == null && previous == null) {
                return null;
            }
            // Encoded here, by the caller: the writer's turn, which everyone waits for, stays short.
            byte[] record = record(entryId, next);
            LedgerChange.put(entries, entryId, next);
            change = new LedgerChange(entryId, previous, next, awaited, record, new CompletableFuture<>());
            startWriter = writer.enqueue(change);
        }
        if (startWriter) {
            writer.start();
        }
        return change;
    }

    private byte[] record(String entryId, LedgerEntry next) {
        try {
            return LedgerCodec.record(entryId, next);
        } catch (IOException e) {
            throw new LedgerException("cannot encode entry " + entryId + " of the token ledger " + file + ": "
                    + ErrorText.describe(e), e);
        }
    }

    /**
     * Waits for a change to be durable. An interrupt ends the wait, not the write: the caller
     * learns that it does not know the outcome, and which entry is concerned.
     */
    private LedgerEntry await(LedgerChange change) {
        try {
            return change.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerInterruptedException(file, change.entryId(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // A new exception, so that the caller's stack shows up beside the writer's.
            throw new LedgerException(cause.getMessage(), cause);
        }
    }

    /** A write failed: nothing of it counts. Memory goes back (unless the entry changed since) and every caller learns why. */
    private void undo(List<LedgerChange> batch, LedgerException failure) {
        synchronized (state) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                LedgerChange c = batch.get(i);
                if (entries.get(c.entryId()) == c.next()) {
                    LedgerChange.put(entries, c.entryId(), c.previous());
                }
            }
        }
        for (LedgerChange c : batch) {
            if (!c.awaited()) {
                LOGGER.log(Level.WARNING, "could not remove entry " + c.entryId() + " from the token ledger; the sweeper will: "
                        + failure.getMessage());
            }
            c.done().completeExceptionally(failure);
        }
    }
}
