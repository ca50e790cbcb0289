package io.jenkins.plugins.zendesk.oauth.broker.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit file format, version 1: one JSON object per line, snake_case keys, times in ISO-8601
 * UTC, empty fields left out. {@code "v":1} on each line lets a later version read older files.
 */
final class AuditCodec {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditCodec() {
    }

    /** One line, without its line break. */
    static String encode(AuditRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", VERSION);
        o.put("time", r.time().toString());
        o.put("event", r.event());
        putText(o, "site", r.site());
        if (r.tokenId() != 0) {
            o.put("token_id", r.tokenId());
        }
        if (r.previousTokenId() != 0) {
            o.put("previous_token_id", r.previousTokenId());
        }
        putText(o, "entry_id", r.entryId());
        if (r.clientId() != 0) {
            o.put("client_id", r.clientId());
        }
        putText(o, "client", r.client());
        putList(o, "scopes", r.scopes());
        r.expiresAt().ifPresent(at -> o.put("expires_at", at.toString()));
        putText(o, "credential_id", r.credentialId());
        putText(o, "job", r.job());
        if (r.build() != 0) {
            o.put("build", r.build());
        }
        putText(o, "build_url", r.buildUrl());
        putList(o, "causes", r.causes());
        putText(o, "node", r.node());
        putText(o, "ended_by", r.endedBy());
        putText(o, "actor", r.actor());
        o.put("took_ms", r.tookMs());
        r.heldMs().ifPresent(ms -> o.put("held_ms", ms));
        putText(o, "outcome", r.outcome());
        putText(o, "error", r.error());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("cannot encode an audit record", impossible);
        }
    }

    /** Reads one line; empty when it is not a record of a version this code knows (a torn or edited line). */
    static Optional<AuditRecord> decode(String line) {
        try {
            JsonNode o = JSON.readTree(line);
            if (o == null || !o.isObject() || o.path("v").asInt() != VERSION || !o.path("time").isTextual() || !o.path("event").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(AuditRecord.builder(Instant.parse(o.get("time").asText()), o.get("event").asText())
                    .site(o.path("site").asText(""))
                    .tokenId(o.path("token_id").asLong())
                    .previousTokenId(o.path("previous_token_id").asLong())
                    .entryId(o.path("entry_id").asText(""))
                    .clientId(o.path("client_id").asLong())
                    .client(o.path("client").asText(""))
                    .scopes(list(o.path("scopes")))
                    .expiresAt(o.path("expires_at").isTextual() ? Optional.of(Instant.parse(o.get("expires_at").asText())) : Optional.empty())
                    .credentialId(o.path("credential_id").asText(""))
                    .job(o.path("job").asText(""))
                    .build(o.path("build").asInt())
                    .buildUrl(o.path("build_url").asText(""))
                    .causes(list(o.path("causes")))
                    .node(o.path("node").asText(""))
                    .endedBy(o.path("ended_by").asText(""))
                    .actor(o.path("actor").asText(""))
                    .tookMs(o.path("took_ms").asLong())
                    .heldMs(o.path("held_ms").canConvertToLong() ? Optional.of(o.get("held_ms").asLong()) : Optional.empty())
                    .outcome(o.path("outcome").asText(""))
                    .error(o.path("error").asText(""))
                    .build());
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException corrupt) {
            return Optional.empty();
        }
    }

    private static void putText(ObjectNode o, String key, String value) {
        if (!value.isEmpty()) {
            o.put(key, value);
        }
    }

    private static void putList(ObjectNode o, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = o.putArray(key);
            values.forEach(array::add);
        }
    }

    private static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }
}
