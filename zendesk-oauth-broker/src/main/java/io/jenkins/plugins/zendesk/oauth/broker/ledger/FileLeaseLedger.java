package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class FileLeaseLedger implements LeaseLedger, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(FileLeaseLedger.class.getName());
    private static final int FORMAT = 1;
    /** Journal records after which the writer compacts: bounds the journal to some hundred kilobytes. */
    public static final int DEFAULT_COMPACT_AFTER = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a removal nobody waits for may wait for a write that someone waits for, to share its sync. */
    private static final long LAZY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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
    private final Path journal;
    private final Path temp;
    private final Clock clock;
    private final int compactAfter;
    private final Probe probe;
    /** One thread at most, created on demand, gone after a minute idle; never shared, never interrupted by us. */
    private final ThreadPoolExecutor writer;

    /** Guards {@link #entries}, {@link #pending}, {@link #awaitedPending} and {@link #draining}. */
    private final Object state = new Object();
    /** What callers see: everything durable plus the changes on their way to the disk. */
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    private List<Change> pending = new ArrayList<>();
    /** Changes in {@link #pending} that a caller waits for. */
    private int awaitedPending;
    private boolean draining;

    // Writer-thread state (handed over through the executor, which orders it).
    /** Exactly what the files hold: the base of every snapshot. */
    private final Map<String, LedgerEntry> durable = new LinkedHashMap<>();
    private long generation;
    private int journalRecords;
    /** The journal cannot take appends (absent, torn, stale, or a write failed): compact first. */
    private boolean compactFirst;
    private final AtomicLong syncs = new AtomicLong();

    /** One change on its way to the disk; {@code next == null} removes the entry. */
    private record Change(String entryId, LedgerEntry previous, LedgerEntry next, boolean awaited, byte[] record,
                          CompletableFuture<LedgerEntry> done) {
    }

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
        this.journal = this.file.resolveSibling(this.file.getFileName() + ".journal");
        this.temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        this.clock = clock;
        this.compactAfter = compactAfter;
        this.probe = probe;
        load();
        entries.putAll(durable);
        String name = "Zendesk token ledger writer (" + this.file.getFileName() + ")";
        writer = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true); // pending writes are awaited by their callers and by close(), not by JVM exit
            return t;
        });
        writer.allowCoreThreadTimeOut(true);
    }

    public Path file() {
        return file;
    }

    /** The journal beside {@link #file()}; it may not exist. */
    public Path journal() {
        return journal;
    }

    /** File syncs done so far (journal, snapshot, directory): for the benchmark. */
    public long syncs() {
        return syncs.get();
    }

    @Override
    public LedgerEntry recordIntent(String site, long clientId, String owner, String authority, ScopeSet scopes) {
        Instant now = clock.instant();
        LedgerEntry entry = new LedgerEntry(UUID.randomUUID().toString(), site, clientId, Optional.empty(), owner, authority,
                scopes.asStrings(), now, Optional.empty(), Optional.empty(), LedgerEntry.State.MINTING, 0, Optional.empty(), now);
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
        Change removal = change(entryId, true, previous -> null);
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
        writer.shutdown();
        synchronized (state) {
            state.notifyAll(); // a removal held back for company is written now
        }
        try {
            if (!writer.awaitTermination(1, TimeUnit.MINUTES)) {
                LOGGER.warning("the token ledger " + file + " is still writing after a minute; not waiting longer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the writer goes on on its own: it is never interrupted
        }
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
    private Change change(String entryId, boolean awaited, UnaryOperator<LedgerEntry> update) {
        Change change;
        boolean startWriter;
        synchronized (state) {
            LedgerEntry previous = entries.get(entryId);
            LedgerEntry next = update.apply(previous);
            if (next == null && previous == null) {
                return null;
            }
            // Encoded here, by the caller: the writer's turn, which everyone waits for, stays short.
            byte[] record = record(entryId, next);
            put(entries, entryId, next);
            change = new Change(entryId, previous, next, awaited, record, new CompletableFuture<>());
            pending.add(change);
            if (awaited) {
                awaitedPending++;
                state.notifyAll(); // a writer holding back a removal writes now
            }
            startWriter = !draining;
            draining = true;
        }
        if (startWriter) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                List<Change> batch;
                synchronized (state) {
                    batch = pending;
                    pending = new ArrayList<>();
                    awaitedPending = 0;
                    draining = false;
                }
                undo(batch, new LedgerException("the token ledger " + file + " is closed", closed));
            }
        }
        return change;
    }

    /**
     * Waits for a change to be durable. An interrupt ends the wait, not the write: the caller
     * learns that it does not know the outcome, and which entry is concerned.
     */
    private LedgerEntry await(Change change) {
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

    /**
     * The writer thread's loop: one group per pass, until nothing is pending. A group of removals
     * only (nobody waits for them) is held back a little for a change that someone waits for, so
     * that both share one sync: a lease's removal then costs the next lease's intent nothing.
     */
    private void drain() {
        while (true) {
            List<Change> batch;
            synchronized (state) {
                long deadline = System.nanoTime() + LAZY_NANOS;
                while (!pending.isEmpty() && awaitedPending == 0 && !writer.isShutdown()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(state, left);
                    } catch (InterruptedException e) {
                        break; // nobody should interrupt this thread; if someone does, write now (write() clears it)
                    }
                }
                batch = pending;
                pending = new ArrayList<>();
                awaitedPending = 0;
                if (batch.isEmpty()) {
                    draining = false;
                    return;
                }
            }
            try {
                write(batch);
            } catch (LedgerException e) {
                undo(batch, e);
                continue;
            } catch (RuntimeException | Error e) {
                undo(batch, new LedgerException("cannot write the token ledger " + file + ": " + describe(e), e));
                continue;
            }
            for (Change c : batch) {
                c.done().complete(c.next());
            }
        }
    }

    /** A write failed: nothing of it counts. Memory goes back (unless the entry changed since) and every caller learns why. */
    private void undo(List<Change> batch, LedgerException failure) {
        synchronized (state) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                Change c = batch.get(i);
                if (entries.get(c.entryId()) == c.next()) {
                    put(entries, c.entryId(), c.previous());
                }
            }
        }
        for (Change c : batch) {
            if (!c.awaited()) {
                LOGGER.log(Level.WARNING, "could not remove entry " + c.entryId() + " from the token ledger; the sweeper will: "
                        + failure.getMessage());
            }
            c.done().completeExceptionally(failure);
        }
    }

    private static void put(Map<String, LedgerEntry> map, String entryId, LedgerEntry entry) {
        if (entry == null) {
            map.remove(entryId);
        } else {
            map.put(entryId, entry);
        }
    }

    // ---------------------------------------------------------------- writer thread

    private void write(List<Change> batch) {
        // A stray interrupt would close the channel under us: this thread is ours, clear it.
        Thread.interrupted();
        try {
            if (compactFirst || journalRecords + batch.size() > compactAfter) {
                compact(batch);
            } else {
                append(batch);
            }
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            retry(batch, e);
        } catch (IOException e) {
            compactFirst = true; // the journal may hold part of this group: never append after it
            throw new LedgerException("cannot write the token ledger " + file + ": " + describe(e), e);
        }
    }

    private void retry(List<Change> batch, IOException first) {
        compactFirst = true;
        try {
            compact(batch);
        } catch (IOException e) {
            e.addSuppressed(first);
            throw new LedgerException("cannot write the token ledger " + file + ": " + describe(e), e);
        }
    }

    private void append(List<Change> batch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 512);
        for (Change c : batch) {
            bytes.write(c.record());
        }
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            writeFully(channel, bytes.toByteArray());
            probe.at(Step.JOURNAL_APPENDED);
            channel.force(false); // the data and the file length: all a reader needs
            syncs.incrementAndGet();
        }
        for (Change c : batch) {
            put(durable, c.entryId(), c.next());
        }
        journalRecords += batch.size();
    }

    /** Folds the journal and {@code batch} into a new snapshot, then starts an empty journal of the new generation. */
    private void compact(List<Change> batch) throws IOException {
        Map<String, LedgerEntry> next = new LinkedHashMap<>(durable);
        for (Change c : batch) {
            put(next, c.entryId(), c.next());
        }
        long nextGeneration = generation + 1;
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, snapshot(next, nextGeneration));
            channel.force(true);
            syncs.incrementAndGet();
        }
        probe.at(Step.SNAPSHOT_WRITTEN);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
        // From here the batch is durable: the old journal's generation is no longer the snapshot's.
        durable.clear();
        durable.putAll(next);
        generation = nextGeneration;
        journalRecords = 0;
        compactFirst = true;
        probe.at(Step.SNAPSHOT_RENAMED);
        try {
            startJournal();
            compactFirst = false;
        } catch (IOException e) {
            // The group is safe in the snapshot; the next group compacts again.
            LOGGER.log(Level.WARNING, "cannot start a fresh journal for the token ledger " + file + ": " + describe(e), e);
        }
    }

    private void startJournal() throws IOException {
        boolean existed = Files.exists(journal);
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ObjectNode header = JSON.createObjectNode();
            header.put("journal", generation);
            writeFully(channel, line(header));
            channel.force(false);
            syncs.incrementAndGet();
        }
        if (!existed) {
            syncDirectory();
        }
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private void syncDirectory() {
        // Makes a rename or a new file durable; not supported on every platform, where the rename is the best we can do.
        try (FileChannel channel = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            channel.force(true);
            syncs.incrementAndGet();
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory as a channel
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- formats

    private byte[] snapshot(Map<String, LedgerEntry> map, long journalGeneration) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("journal", journalGeneration);
        root.put("count", map.size());
        ArrayNode array = root.putArray("entries");
        map.values().forEach(e -> array.add(toJson(e)));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    private byte[] record(String entryId, LedgerEntry next) {
        ObjectNode n = JSON.createObjectNode();
        if (next == null) {
            n.put("remove", entryId);
        } else {
            n.set("put", toJson(next));
        }
        try {
            return line(n);
        } catch (IOException e) {
            throw new LedgerException("cannot encode entry " + entryId + " of the token ledger " + file + ": " + describe(e), e);
        }
    }

    private static byte[] line(ObjectNode node) throws IOException {
        byte[] json = JSON.writeValueAsBytes(node); // compact: JSON escapes every newline inside strings
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    private void load() {
        // The journal first: a compaction that runs meanwhile in another process then makes it
        // stale (older than the snapshot read next), never newer.
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(journal);
        } catch (NoSuchFileException e) {
            bytes = null;
        } catch (IOException e) {
            throw new LedgerException("cannot read the token ledger journal " + journal + ": " + describe(e), e);
        }
        loadSnapshot();
        compactFirst = bytes == null || !Files.exists(file) || Files.exists(temp);
        if (bytes == null) {
            return;
        }
        int lineNo = 0;
        int start = 0;
        try {
            while (start < bytes.length) {
                int end = indexOf(bytes, (byte) '\n', start);
                if (end < 0) {
                    // A torn final record: its sync never returned, so nobody acted on it.
                    LOGGER.warning("dropped a torn final record (" + (bytes.length - start) + " bytes) of the token ledger journal "
                            + journal);
                    compactFirst = true;
                    return;
                }
                JsonNode node = JSON.readTree(new String(bytes, start, end - start, StandardCharsets.UTF_8));
                start = end + 1;
                if (lineNo++ == 0) {
                    long journalGeneration = requireHeader(node);
                    if (journalGeneration != generation) {
                        if (journalGeneration > generation) {
                            throw new IOException("journal generation " + journalGeneration + " is newer than the snapshot's " + generation);
                        }
                        // Left by a compaction that stopped before starting the new journal: already in the snapshot.
                        compactFirst = true;
                        return;
                    }
                    continue;
                }
                applyRecord(node);
                journalRecords++;
            }
            if (lineNo == 0) {
                compactFirst = true; // an empty journal has no header to append after
            }
        } catch (IOException | RuntimeException e) {
            durable.clear();
            throw corrupt(journal, e);
        }
    }

    private static long requireHeader(JsonNode node) throws IOException {
        if (node == null || !node.path("journal").canConvertToLong() || !node.path("journal").isIntegralNumber() || node.size() != 1) {
            throw new IOException("the first line is not a journal header");
        }
        return node.path("journal").asLong();
    }

    private void applyRecord(JsonNode node) throws IOException {
        if (node == null || node.size() != 1) {
            throw new IOException("unexpected record");
        }
        if (node.hasNonNull("put")) {
            LedgerEntry entry = fromJson(node.get("put"));
            durable.put(entry.id(), entry);
        } else if (node.path("remove").isTextual()) {
            durable.remove(node.get("remove").asText());
        } else {
            throw new IOException("unexpected record");
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void loadSnapshot() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new LedgerException("cannot read the token ledger " + file + ": " + describe(e), e);
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || root.path("format").asInt() != FORMAT || !root.path("entries").isArray()
                    || root.path("count").asInt(-1) != root.path("entries").size()
                    || (root.has("journal") && !root.path("journal").isIntegralNumber())) {
                throw new IOException("unexpected structure");
            }
            generation = root.path("journal").asLong(0); // 0: written before the journal existed
            for (JsonNode node : root.path("entries")) {
                LedgerEntry entry = fromJson(node);
                durable.put(entry.id(), entry);
            }
        } catch (IOException | RuntimeException e) {
            durable.clear();
            throw corrupt(file, e);
        }
    }

    private static LedgerException corrupt(Path path, Exception e) {
        return new LedgerException("the token ledger " + path + " is corrupt or truncated (" + e.getClass().getSimpleName()
                + "); it was left untouched because it may be the only record of live Zendesk tokens. Check the OAuth client's "
                + "tokens in Zendesk (or delete the client to revoke them all), then move the file aside.", e);
    }

    private static ObjectNode toJson(LedgerEntry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        n.put("site", e.site());
        n.put("clientId", e.clientId());
        e.tokenId().ifPresent(id -> n.put("tokenId", id));
        n.put("owner", e.owner());
        n.put("authority", e.authority());
        e.scopes().forEach(n.putArray("scopes")::add);
        n.put("intentAt", e.intentAt().toString());
        e.mintedAt().ifPresent(at -> n.put("mintedAt", at.toString()));
        e.expiresAt().ifPresent(at -> n.put("expiresAt", at.toString()));
        n.put("state", e.state().name());
        n.put("failures", e.failures());
        e.lastError().ifPresent(err -> n.put("lastError", err));
        n.put("nextAttempt", e.nextAttempt().toString());
        return n;
    }

    private static LedgerEntry fromJson(JsonNode n) {
        List<String> scopes = new ArrayList<>();
        n.path("scopes").forEach(s -> scopes.add(s.asText()));
        return new LedgerEntry(text(n, "id"), text(n, "site"), n.path("clientId").asLong(),
                n.hasNonNull("tokenId") ? Optional.of(n.get("tokenId").asLong()) : Optional.empty(),
                text(n, "owner"), text(n, "authority"), scopes, Instant.parse(text(n, "intentAt")),
                n.hasNonNull("mintedAt") ? Optional.of(Instant.parse(n.get("mintedAt").asText())) : Optional.empty(),
                // Absent in entries written before Zendesk's tokens expired.
                n.hasNonNull("expiresAt") ? Optional.of(Instant.parse(n.get("expiresAt").asText())) : Optional.empty(),
                LedgerEntry.State.valueOf(text(n, "state")), n.path("failures").asInt(),
                n.hasNonNull("lastError") ? Optional.of(n.get("lastError").asText()) : Optional.empty(),
                Instant.parse(text(n, "nextAttempt")));
    }

    private static String text(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("entry without " + field);
        }
        return n.get(field).asText();
    }
}
