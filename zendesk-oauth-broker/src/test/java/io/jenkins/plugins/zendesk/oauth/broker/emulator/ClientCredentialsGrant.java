package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static io.jenkins.plugins.zendesk.oauth.broker.emulator.ApiResponse.MAPPER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.OAuthClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Zendesk's OAuth token endpoint, {@code POST /oauth/tokens} with {@code grant_type=client_credentials}:
 * the one endpoint that authenticates an OAuth client rather than a user, and answers in RFC 6749's shape.
 */
final class ClientCredentialsGrant {
    /** {@code expires_in} must be more than this (seconds). */
    static final long MIN_EXPIRES_IN = 300;
    /** {@code expires_in} must be less than this (seconds, 48 h). */
    static final long MAX_EXPIRES_IN = 172_800;

    private final EmulatorState state;

    ClientCredentialsGrant(EmulatorState state) {
        this.state = state;
    }

    /**
     * {@code POST /oauth/tokens} with {@code grant_type=client_credentials}. Client authentication is by
     * {@code client_id} (the client's unique identifier, not its numeric id) and {@code client_secret} in the
     * body; see {@link ZendeskEmulator} for the answers.
     */
    ApiResponse answer(ApiRequest request) {
        Optional<Map<String, JsonNode>> parsed = grantParameters(request);
        if (parsed.isEmpty()) {
            return ApiResponse.oauthError(400, "invalid_request",
                    "The request body must be a JSON object or application/x-www-form-urlencoded parameters.");
        }
        Map<String, JsonNode> params = parsed.get();
        Optional<String> grantType = text(params.get("grant_type")).filter(t -> !t.isBlank());
        if (grantType.isEmpty()) {
            return ApiResponse.oauthError(400, "invalid_request", "The request is missing a required parameter: grant_type.");
        }
        if (!grantType.get().equals("client_credentials")) {
            return ApiResponse.oauthError(400, "unsupported_grant_type",
                    "The authorization grant type is not supported by the authorization server.");
        }
        Optional<String> identifier = text(params.get("client_id"));
        Optional<String> secret = text(params.get("client_secret"));
        if (identifier.isEmpty() && secret.isEmpty()) {
            // Zendesk documents the credentials in the body only; HTTP Basic client authentication
            // (RFC 6749 §2.3.1) is tolerated because OAuth client libraries often default to it.
            Optional<String[]> basic = basicClientCredentials(request);
            identifier = basic.map(pair -> pair[0]);
            secret = basic.map(pair -> pair[1]);
        }
        Optional<OAuthClient> found = identifier.flatMap(state::clientByIdentifier);
        if (found.isEmpty()) {
            return invalidClient();
        }
        OAuthClient client = found.get();
        if (client.kind() != EmulatorState.ClientKind.CONFIDENTIAL) {
            // Zendesk's docs only say "confidential clients only", not what a public client gets: RFC 6749's
            // unauthorized_client is the closest fit. Checked before the secret since public clients have none.
            return ApiResponse.oauthError(400, "unauthorized_client",
                    "The client is not authorized to use the client credentials grant: it is not confidential.");
        }
        if (!client.secretMatches(secret.orElse(null))) {
            return invalidClient();
        }

        Duration lifetime;
        JsonNode expiresNode = params.get("expires_in");
        if (expiresNode == null || expiresNode.isNull() || text(expiresNode).filter(String::isBlank).isPresent()) {
            lifetime = client.tokenLifetime() != null ? client.tokenLifetime() : state.defaultGrantLifetime();
        } else {
            OptionalLong seconds = text(expiresNode).map(ZendeskApi::parseLong).orElse(OptionalLong.empty());
            if (seconds.isEmpty() || seconds.getAsLong() <= MIN_EXPIRES_IN || seconds.getAsLong() >= MAX_EXPIRES_IN) {
                return ApiResponse.oauthError(400, "invalid_request", "expires_in must be an integer number of seconds more than "
                        + MIN_EXPIRES_IN + " and less than " + MAX_EXPIRES_IN + ".");
            }
            lifetime = Duration.ofSeconds(seconds.getAsLong());
        }

        JsonNode scopeNode = params.get("scope");
        if (scopeNode != null && !scopeNode.isNull() && !scopeNode.isTextual()) {
            return ApiResponse.oauthError(400, "invalid_scope", "scope must be one string of space-separated scopes.");
        }
        // A missing scope is refused like a blank one: the docs always send it and are silent on a default.
        String scopeText = text(scopeNode).orElse("").trim();
        if (scopeText.isEmpty()) {
            return ApiResponse.oauthError(400, "invalid_scope", "The requested scope is blank.");
        }
        List<String> scopes = List.copyOf(new LinkedHashSet<>(List.of(scopeText.split("\\s+"))));
        List<String> invalid = ScopeGrammar.invalid(scopes);
        if (!invalid.isEmpty()) {
            return ApiResponse.oauthError(400, "invalid_scope", "The requested scope is invalid. Invalid scopes: "
                    + String.join(", ", invalid));
        }
        List<String> disallowed = ScopeGrammar.disallowed(client.allowedScopes(), scopes);
        if (!disallowed.isEmpty()) {
            return ApiResponse.oauthError(400, "invalid_scope", "The requested scope is not allowed for this OAuth client. "
                    + "Disallowed scopes: " + String.join(", ", disallowed));
        }

        Instant now = state.now();
        long owner = state.ownerOf(client).orElseThrow();
        IssuedToken minted = state.mint(client.id(), owner, scopes, now, now.plus(lifetime));
        state.countClientCredentialsGrant();
        ObjectNode body = MAPPER.createObjectNode()
                .put("access_token", minted.fullToken())
                .put("token_type", "bearer")
                .put("scope", String.join(" ", scopes))
                .put("expires_in", lifetime.toSeconds());
        // RFC 6749 §5.1: token answers must not be cached
        return ApiResponse.json(201, body).withHeader("Cache-Control", "no-store").withHeader("Pragma", "no-cache");
    }

    /** The grant's parameters: from a form body when so declared, else from a JSON object (text values kept as nodes). */
    private static Optional<Map<String, JsonNode>> grantParameters(ApiRequest request) {
        if (request.isFormEncoded()) {
            return Optional.of(formAsNodes(request));
        }
        try {
            JsonNode root = MAPPER.readTree(request.body());
            if (root != null && root.isObject()) {
                Map<String, JsonNode> params = new LinkedHashMap<>();
                root.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue()));
                return Optional.of(params);
            }
        } catch (JsonProcessingException notJson) {
            // fall through: maybe a form body sent without its Content-Type
        }
        // Tolerated: a form body with no Content-Type (some clients forget it); docs are silent.
        if (request.contentType().isEmpty() && request.body().contains("=")) {
            return Optional.of(formAsNodes(request));
        }
        return Optional.empty();
    }

    private static Map<String, JsonNode> formAsNodes(ApiRequest request) {
        Map<String, JsonNode> params = new LinkedHashMap<>();
        request.formBody().forEach((name, values) -> params.put(name, MAPPER.getNodeFactory().textNode(values.get(0))));
        return params;
    }

    /** A parameter as text: strings as they are, numbers as their digits; absent for null or missing. */
    private static Optional<String> text(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(node.isTextual() ? node.textValue() : node.isNumber() ? node.asText() : node.toString());
    }

    /** {@code client_id:client_secret} from {@code Authorization: Basic}, if present and well formed. */
    private static Optional<String[]> basicClientCredentials(ApiRequest request) {
        return request.authorization()
                .filter(a -> a.regionMatches(true, 0, "Basic ", 0, 6))
                .flatMap(a -> {
                    try {
                        String decoded = new String(Base64.getDecoder().decode(a.substring(6).trim()), StandardCharsets.UTF_8);
                        int colon = decoded.indexOf(':');
                        return colon < 0 ? Optional.empty()
                                : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
                    } catch (IllegalArgumentException notBase64) {
                        return Optional.empty();
                    }
                });
    }

    private static ApiResponse invalidClient() {
        // One answer for an unknown identifier and a wrong secret, so the identifier cannot be probed.
        return ApiResponse.oauthError(401, "invalid_client",
                "Client authentication failed due to unknown client, no client authentication included, "
                        + "or unsupported authentication method.");
    }
}
