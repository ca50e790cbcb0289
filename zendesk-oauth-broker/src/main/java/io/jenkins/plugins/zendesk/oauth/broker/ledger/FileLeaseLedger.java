package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.function.UnaryOperator;

/**
 * A {@link LeaseLedger} in one JSON file. Every change rewrites the file atomically (write a
 * temporary file, fsync, rename over the old one, fsync the directory), so a process killed at
 * any instant leaves either the old or the new ledger, never a mix. Thread-safe.
 */
public final class FileLeaseLedger implements LeaseLedger {
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    /** Guards {@link #entries} and {@link #version}; never held while writing the file. */
    private final Object state = new Object();
    /** Guards writing the file and {@link #persistedVersion}. */
    private final Object disk = new Object();
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    private long version;
    private long persistedVersion;

    /**
     * Opens (or starts) the ledger at {@code file}.
     *
     * @throws LedgerException if the file exists but is corrupt or truncated; it is left untouched
     */
    public FileLeaseLedger(Path file, Clock clock) {
        this.file = file.toAbsolutePath();
        this.clock = clock;
        load();
    }

    public Path file() {
        return file;
    }

    @Override
    public LedgerEntry recordIntent(String site, long clientId, String owner, String authority, ScopeSet scopes) {
        Instant now = clock.instant();
        LedgerEntry entry = new LedgerEntry(UUID.randomUUID().toString(), site, clientId, Optional.empty(), owner, authority,
                scopes.asStrings(), now, Optional.empty(), Optional.empty(), LedgerEntry.State.MINTING, 0, Optional.empty(), now);
        return change(entry.id(), previous -> entry);
    }

    @Override
    public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
        return change(entryId, previous -> require(entryId, previous).withMinted(tokenId, createdAt, expiresAt));
    }

    @Override
    public LedgerEntry recordFailure(String entryId, LedgerEntry.State state, String error, Instant retryAt) {
        return change(entryId, previous -> require(entryId, previous).withFailure(state, error, retryAt));
    }

    @Override
    public LedgerEntry updateState(String entryId, LedgerEntry.State state) {
        return change(entryId, previous -> require(entryId, previous).withState(state));
    }

    @Override
    public void remove(String entryId) {
        change(entryId, previous -> null);
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

    private static LedgerEntry require(String entryId, LedgerEntry entry) {
        if (entry == null) {
            throw new IllegalArgumentException("no ledger entry " + entryId);
        }
        return entry;
    }

    /**
     * Applies one change in memory, then makes it durable before returning. Group commit: changes
     * made while another thread writes the file are written together by the next writer, so
     * concurrent leases share file syncs instead of queueing one sync each.
     *
     * @param update from the current entry (null if absent) to the new one (null to remove)
     */
    private LedgerEntry change(String entryId, UnaryOperator<LedgerEntry> update) {
        LedgerEntry previous;
        LedgerEntry next;
        long mine;
        synchronized (state) {
            previous = entries.get(entryId);
            next = update.apply(previous);
            if (next == null && previous == null) {
                return null; // removing what is not there: nothing to write
            }
            put(entryId, next);
            mine = ++version;
        }
        synchronized (disk) {
            if (persistedVersion >= mine) {
                return next; // another thread's write already included this change
            }
            byte[] snapshot;
            long snapshotVersion;
            synchronized (state) {
                snapshot = serialize();
                snapshotVersion = version;
            }
            try {
                write(snapshot);
            } catch (LedgerException e) {
                // Under the disk lock no other write can have recorded this change: undo it in memory
                // (unless someone changed the entry since), so the caller's "nothing was recorded" holds.
                synchronized (state) {
                    if (entries.get(entryId) == next) {
                        put(entryId, previous);
                    }
                }
                throw e;
            }
            persistedVersion = snapshotVersion;
        }
        return next;
    }

    private void put(String entryId, LedgerEntry entry) {
        if (entry == null) {
            entries.remove(entryId);
        } else {
            entries.put(entryId, entry);
        }
    }

    private void load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new LedgerException("cannot read the token ledger " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || root.path("format").asInt() != FORMAT || !root.path("entries").isArray()
                    || root.path("count").asInt(-1) != root.path("entries").size()) {
                throw new IOException("unexpected structure");
            }
            for (JsonNode node : root.path("entries")) {
                LedgerEntry entry = fromJson(node);
                entries.put(entry.id(), entry);
            }
        } catch (IOException | RuntimeException e) {
            entries.clear();
            throw new LedgerException("the token ledger " + file + " is corrupt or truncated (" + e.getClass().getSimpleName()
                    + "); it was left untouched because it may be the only record of live Zendesk tokens. Check the OAuth client's "
                    + "tokens in Zendesk (or delete the client to revoke them all), then move the file aside.", e);
        }
    }

    private byte[] serialize() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("count", entries.size());
        ArrayNode array = root.putArray("entries");
        entries.values().forEach(e -> array.add(toJson(e)));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new LedgerException("cannot encode the token ledger " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(byte[] bytes) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new LedgerException("cannot write the token ledger " + file + ": " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable; not supported on every platform, where the rename is the best we can do.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory as a channel
        }
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
