package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.ScopeSet;
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
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();

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
    public synchronized LedgerEntry recordIntent(String site, long clientId, String owner, String authority, ScopeSet scopes) {
        Instant now = clock.instant();
        LedgerEntry entry = new LedgerEntry(UUID.randomUUID().toString(), site, clientId, Optional.empty(), owner, authority,
                scopes.asStrings(), now, Optional.empty(), LedgerEntry.State.MINTING, 0, Optional.empty(), now);
        return put(entry);
    }

    @Override
    public synchronized LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt) {
        return put(require(entryId).withMinted(tokenId, createdAt));
    }

    @Override
    public synchronized LedgerEntry recordFailure(String entryId, LedgerEntry.State state, String error, Instant retryAt) {
        return put(require(entryId).withFailure(state, error, retryAt));
    }

    @Override
    public synchronized LedgerEntry updateState(String entryId, LedgerEntry.State state) {
        return put(require(entryId).withState(state));
    }

    @Override
    public synchronized void remove(String entryId) {
        LedgerEntry removed = entries.remove(entryId);
        if (removed != null) {
            try {
                persist();
            } catch (LedgerException e) {
                entries.put(entryId, removed);
                throw e;
            }
        }
    }

    @Override
    public synchronized Optional<LedgerEntry> find(String entryId) {
        return Optional.ofNullable(entries.get(entryId));
    }

    @Override
    public synchronized List<LedgerEntry> entries() {
        List<LedgerEntry> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparing(LedgerEntry::intentAt));
        return all;
    }

    private LedgerEntry require(String entryId) {
        LedgerEntry entry = entries.get(entryId);
        if (entry == null) {
            throw new IllegalArgumentException("no ledger entry " + entryId);
        }
        return entry;
    }

    private LedgerEntry put(LedgerEntry entry) {
        LedgerEntry previous = entries.put(entry.id(), entry);
        try {
            persist();
        } catch (LedgerException e) {
            // Keep memory equal to disk: the caller learns that nothing was recorded.
            if (previous == null) {
                entries.remove(entry.id());
            } else {
                entries.put(entry.id(), previous);
            }
            throw e;
        }
        return entry;
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

    private void persist() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("count", entries.size());
        ArrayNode array = root.putArray("entries");
        entries.values().forEach(e -> array.add(toJson(e)));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
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
