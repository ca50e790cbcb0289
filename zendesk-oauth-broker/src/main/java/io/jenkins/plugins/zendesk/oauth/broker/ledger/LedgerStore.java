package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger.Probe;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger.Step;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ledger's two files, the snapshot and the journal beside it: loads them, appends a group of
 * changes to the journal or folds everything into a new snapshot (see {@link FileLeaseLedger} for
 * the protocol). Loaded by the constructor's thread, then used by the writer thread only, which
 * the executor hands it over to: not thread-safe, except {@link #syncs()}.
 */
final class LedgerStore {
    // The name FileLeaseLedger always logged under, so that existing logging configuration still applies.
    private static final Logger LOGGER = Logger.getLogger(FileLeaseLedger.class.getName());

    private final Path file;
    /** The folder of both files: created on the first compaction, synced after a rename or a new file. */
    private final Path directory;
    private final Path journal;
    private final Path temp;
    private final int compactAfter;
    private final Probe probe;
    /** Exactly what the files hold: the base of every snapshot. */
    private final Map<String, LedgerEntry> durable = new LinkedHashMap<>();
    private long generation;
    private int journalRecords;
    /** The journal cannot take appends (absent, torn, stale, or a write failed): compact first. */
    private boolean compactFirst;
    private final AtomicLong syncs = new AtomicLong();

    /**
     * Loads the ledger at {@code file} (absolute).
     *
     * @throws LedgerException if the snapshot or the journal is corrupt or truncated; both are left untouched
     */
    LedgerStore(Path file, int compactAfter, Probe probe) {
        Path parent = file.getParent();
        if (parent == null) {
            // Only a file system root has no parent, and a root is not a file.
            throw new IllegalArgumentException("the token ledger must be a file in a folder, not " + file);
        }
        this.file = file;
        this.directory = parent;
        this.journal = file.resolveSibling(file.getFileName() + ".journal");
        this.temp = file.resolveSibling(file.getFileName() + ".tmp");
        this.compactAfter = compactAfter;
        this.probe = probe;
        load();
    }

    Path journal() {
        return journal;
    }

    /** File syncs done so far (journal, snapshot, directory); safe from any thread. */
    long syncs() {
        return syncs.get();
    }

    /** What the files held when loaded; read it before the first {@link #write}. */
    Map<String, LedgerEntry> loaded() {
        return Collections.unmodifiableMap(durable);
    }

    /** Makes {@code batch} durable, by an append to the journal or by a compaction. */
    void write(List<LedgerChange> batch) {
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
            throw new LedgerException("cannot write the token ledger " + file + ": " + ErrorText.describe(e), e);
        }
    }

    private void retry(List<LedgerChange> batch, IOException first) {
        compactFirst = true;
        try {
            compact(batch);
        } catch (IOException e) {
            e.addSuppressed(first);
            throw new LedgerException("cannot write the token ledger " + file + ": " + ErrorText.describe(e), e);
        }
    }

    private void append(List<LedgerChange> batch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 512);
        for (LedgerChange c : batch) {
            bytes.write(c.record());
        }
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            writeFully(channel, bytes.toByteArray());
            probe.at(Step.JOURNAL_APPENDED);
            channel.force(false); // the data and the file length: all a reader needs
            syncs.incrementAndGet();
        }
        for (LedgerChange c : batch) {
            LedgerChange.put(durable, c.entryId(), c.next());
        }
        journalRecords += batch.size();
    }

    /** Folds the journal and {@code batch} into a new snapshot, then starts an empty journal of the new generation. */
    private void compact(List<LedgerChange> batch) throws IOException {
        Map<String, LedgerEntry> next = new LinkedHashMap<>(durable);
        for (LedgerChange c : batch) {
            LedgerChange.put(next, c.entryId(), c.next());
        }
        long nextGeneration = generation + 1;
        Files.createDirectories(directory);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, LedgerCodec.snapshot(next, nextGeneration));
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
            LOGGER.log(Level.WARNING, "cannot start a fresh journal for the token ledger " + file + ": " + ErrorText.describe(e), e);
        }
    }

    private void startJournal() throws IOException {
        boolean existed = Files.exists(journal);
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, LedgerCodec.journalHeader(generation));
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
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
            syncs.incrementAndGet();
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory as a channel
        }
    }

    // ---------------------------------------------------------------- loading

    private void load() {
        // The journal first: a compaction that runs meanwhile in another process then makes it
        // stale (older than the snapshot read next), never newer.
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(journal);
        } catch (NoSuchFileException e) {
            bytes = null;
        } catch (IOException e) {
            throw new LedgerException("cannot read the token ledger journal " + journal + ": " + ErrorText.describe(e), e);
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
                String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                start = end + 1;
                if (lineNo++ == 0) {
                    long journalGeneration = LedgerCodec.readJournalHeader(line);
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
                LedgerCodec.applyRecord(line, durable);
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
            throw new LedgerException("cannot read the token ledger " + file + ": " + ErrorText.describe(e), e);
        }
        try {
            generation = LedgerCodec.readSnapshot(bytes, durable);
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
}
