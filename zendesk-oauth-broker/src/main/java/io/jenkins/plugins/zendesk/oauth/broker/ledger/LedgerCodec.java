package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's file formats in JSON: the snapshot (format 1, as every earlier version wrote it,
 * plus the journal generation it carries) and the journal's lines (a header with the generation,
 * then one {@code put} or {@code remove} record per line). Stateless; the mapper is thread-safe.
 */
final class LedgerCodec {
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerCodec() {
    }

    // ---------------------------------------------------------------- encoding

    static byte[] snapshot(Map<String, LedgerEntry> map, long journalGeneration) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("journal", journalGeneration);
        root.put("count", map.size());
        ArrayNode array = root.putArray("entries");
        map.values().forEach(e -> array.add(toJson(e)));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** The journal line that puts {@code next}, or removes {@code entryId} when {@code next} is null. */
    static byte[] record(String entryId, LedgerEntry next) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        if (next == null) {
            n.put("remove", entryId);
        } else {
            n.set("put", toJson(next));
        }
        return line(n);
    }

    /** The first line of a journal: the generation of the snapshot it continues. */
    static byte[] journalHeader(long generation) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("journal", generation);
        return line(header);
    }

    private static byte[] line(ObjectNode node) throws IOException {
        byte[] json = JSON.writeValueAsBytes(node); // compact: JSON escapes every newline inside strings
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Reads a snapshot's entries into {@code into}.
     *
     * @return the journal generation it carries; 0 for a snapshot written before the journal existed
     */
    static long readSnapshot(byte[] bytes, Map<String, LedgerEntry> into) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        if (root == null || root.path("format").asInt() != FORMAT || !root.path("entries").isArray()
                || root.path("count").asInt(-1) != root.path("entries").size()
                || (root.has("journal") && !root.path("journal").isIntegralNumber())) {
            throw new IOException("unexpected structure");
        }
        long generation = root.path("journal").asLong(0); // 0: written before the journal existed
        for (JsonNode node : root.path("entries")) {
            LedgerEntry entry = fromJson(node);
            into.put(entry.id(), entry);
        }
        return generation;
    }

    /** The generation in a journal's first line. */
    static long readJournalHeader(String line) throws IOException {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.path("journal").canConvertToLong() || !node.path("journal").isIntegralNumber() || node.size() != 1) {
            throw new IOException("the first line is not a journal header");
        }
        return node.path("journal").asLong();
    }

    /** Applies one journal record (any line after the header) to {@code into}. */
    static void applyRecord(String line, Map<String, LedgerEntry> into) throws IOException {
        JsonNode node = JSON.readTree(line);
        if (node == null || node.size() != 1) {
            throw new IOException("unexpected record");
        }
        if (node.hasNonNull("put")) {
            LedgerEntry entry = fromJson(node.get("put"));
            into.put(entry.id(), entry);
        } else if (node.path("remove").isTextual()) {
            into.remove(node.get("remove").asText());
        } else {
            throw new IOException("unexpected record");
        }
    }

    // ---------------------------------------------------------------- entries

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
        n.put("block", e.blockId());
        n.put("generation", e.generation());
        return n;
    }

    private static LedgerEntry fromJson(JsonNode n) {
        List<String> scopes = new ArrayList<>();
        n.path("scopes").forEach(s -> scopes.add(s.asText()));
        return LedgerEntry.builder()
                .id(text(n, "id"))
                .site(text(n, "site"))
                .clientId(n.path("clientId").asLong())
                .tokenId(n.hasNonNull("tokenId") ? Optional.of(n.get("tokenId").asLong()) : Optional.empty())
                .owner(text(n, "owner"))
                .authority(text(n, "authority"))
                .scopes(scopes)
                .intentAt(Instant.parse(text(n, "intentAt")))
                .mintedAt(instant(n, "mintedAt"))
                .expiresAt(instant(n, "expiresAt")) // absent in entries written before Zendesk's tokens expired
                .state(LedgerEntry.State.valueOf(text(n, "state")))
                .failures(n.path("failures").asInt())
                .lastError(n.hasNonNull("lastError") ? Optional.of(n.get("lastError").asText()) : Optional.empty())
                .nextAttempt(Instant.parse(text(n, "nextAttempt")))
                // Absent in entries written before renewal existed: each was a block of its own.
                .blockId(n.hasNonNull("block") ? n.get("block").asText() : null)
                .generation(n.hasNonNull("generation") ? n.get("generation").asInt() : 1)
                .build();
    }

    private static Optional<Instant> instant(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(Instant.parse(n.get(field).asText())) : Optional.empty();
    }

    private static String text(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("entry without " + field);
        }
        return n.get(field).asText();
    }
}
