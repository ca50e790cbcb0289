package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static io.jenkins.plugins.zendesk.oauth.broker.emulator.ApiResponse.MAPPER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.OAuthClient;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Zendesk Support API endpoints the emulator knows, answering from {@link EmulatorState}. */
final class ZendeskApi {

    static final String FORBIDDEN_DESCRIPTION = "You do not have access to this page. "
            + "Please contact the account owner of this help desk for further help.";
    static final String INVALID_TOKEN_DESCRIPTION = "The access token provided is expired, revoked, "
            + "malformed or invalid for other reasons.";

    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    /** Offset pagination answers 400 past this page (Zendesk's Pagination guide). */
    static final int MAX_OFFSET_PAGES = 100;
    /** {@code expires_in} of the client credentials grant must be more than this (seconds). */
    static final long MIN_EXPIRES_IN = 300;
    /** {@code expires_in} of the client credentials grant must be less than this (seconds, 48 h). */
    static final long MAX_EXPIRES_IN = 172_800;

    @FunctionalInterface
    private interface Handler {
        ApiResponse handle(ApiRequest request, Matcher path, Caller caller);
    }

    @FunctionalInterface
    private interface AdminHandler {
        ApiResponse handle(ApiRequest request, Matcher path, User admin);
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final EmulatorState state;
    private final Supplier<String> baseUrl;
    private final List<Route> routes;
    private final Pages pages;

    ZendeskApi(EmulatorState state, Supplier<String> baseUrl) {
        this.state = state;
        this.baseUrl = baseUrl;
        this.pages = new Pages(baseUrl);
        // An OAuth token on an admin endpoint needs the global scope of the HTTP method: Zendesk's "read"
        // covers GET endpoints, "write" POST/PUT/DELETE ones (OAuth Tokens reference, "Scopes"); resource scopes
        // (tickets:read...) do not cover the OAuth endpoints, which belong to no resource.
        this.routes = List.of(
                route("POST", "/oauth/tokens", (request, path, caller) -> clientCredentialsGrant(request)),
                route("POST", "/api/v2/oauth/tokens", adminOnly("write", this::createToken)),
                route("GET", "/api/v2/oauth/tokens", adminOnly("read", this::listTokens)),
                route("GET", "/api/v2/oauth/tokens/current", this::currentToken),
                route("DELETE", "/api/v2/oauth/tokens/current", this::revokeCurrentToken),
                route("GET", "/api/v2/oauth/tokens/(\\d+)", adminOnly("read", this::showToken)),
                route("DELETE", "/api/v2/oauth/tokens/(\\d+)", adminOnly("write", this::revokeToken)),
                route("GET", "/api/v2/oauth/clients", adminOnly("read", this::listClients)),
                route("GET", "/api/v2/oauth/clients/(\\d+)", adminOnly("read", this::showClient)),
                route("GET", "/api/v2/users/me", this::me),
                route("GET", "/api/v2/tickets", (request, path, caller) ->
                        withScope(caller, () -> json(200, object().set("tickets", MAPPER.createArrayNode())),
                                "read", "tickets:read")),
                route("POST", "/api/v2/tickets", (request, path, caller) ->
                        withScope(caller, () -> json(201, object().set("ticket", object().put("id", 1))),
                                "write", "tickets:write")));
    }

    private static Route route(String method, String path, Handler handler) {
        return new Route(method, Pattern.compile(path + "(?:\\.json)?"), handler);
    }

    /** Answers one request; never throws for bad input. */
    ApiResponse handle(ApiRequest request) {
        for (Route route : routes) {
            Matcher path = route.path().matcher(request.path());
            if (route.method().equals(request.method()) && path.matches()) {
                Caller caller = state.authenticate(request.authorization(), state.now());
                return route.handler().handle(request, path, caller);
            }
        }
        return ApiResponse.error(404, "InvalidEndpoint", "Not found");
    }

    // ---------------------------------------------------------------- access control

    /**
     * Lets through admins authenticated by API token, password or pre-existing admin Bearer token, and live
     * OAuth tokens (minted by Create Token or the client credentials grant) that act as an admin and hold
     * {@code scope}. Other tokens (e.g. a {@code tickets:read} block token, or one acting as an agent) get 403.
     */
    private Handler adminOnly(String scope, AdminHandler handler) {
        return (request, path, caller) -> {
            if (caller instanceof Caller.Staff staff && staff.admin()) {
                return handler.handle(request, path, staff.user());
            }
            if (caller instanceof Caller.TokenHolder holder) {
                // the role is read at request time: a token acts as its user as that user is now
                Optional<User> admin = state.user(holder.token().userId()).filter(u -> u.role() == EmulatorState.Role.ADMIN);
                return admin.isPresent() && grants(holder.token(), scope)
                        ? handler.handle(request, path, admin.get())
                        : forbidden();
            }
            return denied(caller);
        };
    }

    private static ApiResponse withScope(Caller caller, Supplier<ApiResponse> action, String... anyOf) {
        if (caller instanceof Caller.Staff) {
            return action.get();
        }
        if (caller instanceof Caller.TokenHolder holder) {
            return grants(holder.token(), anyOf) ? action.get() : forbidden();
        }
        return denied(caller);
    }

    /**
     * Whether a token holds one of {@code anyOf}. A token minted with a scope outside Zendesk's grammar gets 403 on
     * every request, whatever else it holds (OAuth Tokens reference, Create Token: "Zendesk returns a token even for
     * invalid scopes").
     */
    private static boolean grants(IssuedToken token, String... anyOf) {
        return token.scopes().stream().allMatch(ScopeGrammar::isValid) && ScopeGrammar.grantsAny(token.scopes(), anyOf);
    }

    private static ApiResponse denied(Caller caller) {
        if (caller instanceof Caller.BadBearer) {
            return json(401, object().put("error", "invalid_token").put("error_description", INVALID_TOKEN_DESCRIPTION));
        }
        if (caller instanceof Caller.Anonymous || caller instanceof Caller.BadCredentials) {
            return json(401, object().put("error", "Couldn't authenticate you"));
        }
        return forbidden();
    }

    private static ApiResponse forbidden() {
        return ApiResponse.error(403, "Forbidden", FORBIDDEN_DESCRIPTION);
    }

    private static ApiResponse notFound() {
        return ApiResponse.error(404, "RecordNotFound", "Not found");
    }

    // ---------------------------------------------------------------- tokens

    private ApiResponse createToken(ApiRequest request, Matcher path, User admin) {
        JsonNode root;
        try {
            root = MAPPER.readTree(request.body());
        } catch (JsonProcessingException e) {
            return ApiResponse.error(400, "InvalidJSON", "The request body is not valid JSON");
        }
        JsonNode token = root == null ? null : root.get("token");
        if (token == null || !token.isObject()) {
            return ApiResponse.error(400, "ParameterMissing", "param is missing or the value is empty: token");
        }
        Optional<OAuthClient> client = parseId(token.get("client_id")).stream().boxed()
                .map(state::client).flatMap(Optional::stream).findFirst();
        if (client.isEmpty()) {
            return recordInvalid("client", "Client is invalid");
        }
        JsonNode scopesNode = token.get("scopes");
        if (scopesNode == null || !scopesNode.isArray() || scopesNode.isEmpty()) {
            return recordInvalid("scopes", "Scopes cannot be blank");
        }
        List<String> scopes = distinctTexts(scopesNode);
        List<String> invalid = scopes.stream().filter(s -> !ScopeGrammar.isValid(s)).toList();
        if (!invalid.isEmpty() && !state.acceptInvalidScopes()) {
            return ApiResponse.error(422, "InvalidValue",
                    "Requested scopes are invalid. Invalid scopes: " + String.join(", ", invalid));
        }
        Set<String> allowed = client.get().allowedScopes();
        List<String> disallowed = allowed == null ? List.of()
                : scopes.stream().filter(s -> !ScopeGrammar.permits(allowed, s)).toList();
        if (!disallowed.isEmpty()) {
            // 400 invalid_scope: "Announcing more granular OAuth client scopes" (Zendesk, 2026-08-06).
            return oauthError(400, "invalid_scope", "The requested scope is not allowed for this OAuth client. "
                    + "Disallowed scopes: " + String.join(", ", disallowed));
        }
        // token.expires_at is read-only per the docs (Create Token documents only client_id and scopes as
        // input), so any expires_at in the body is ignored; the expiry comes from the client's token lifetime.
        Instant now = state.now();
        Instant expiresAt = state.createTokenLifetime(client.get()).map(now::plus).orElse(null);
        IssuedToken minted = state.mint(client.get().id(), admin.id(), scopes, now, expiresAt);
        return json(201, object().set("token", tokenJson(minted, true)));
    }

    // ---------------------------------------------------------------- client credentials grant

    /**
     * {@code POST /oauth/tokens} with {@code grant_type=client_credentials}. Client authentication is by
     * {@code client_id} (the client's unique identifier, not its numeric id) and {@code client_secret} in the
     * body; see {@link ZendeskEmulator} for the answers.
     */
    private ApiResponse clientCredentialsGrant(ApiRequest request) {
        Optional<Map<String, JsonNode>> parsed = grantParameters(request);
        if (parsed.isEmpty()) {
            return oauthError(400, "invalid_request",
                    "The request body must be a JSON object or application/x-www-form-urlencoded parameters.");
        }
        Map<String, JsonNode> params = parsed.get();
        Optional<String> grantType = text(params.get("grant_type")).filter(t -> !t.isBlank());
        if (grantType.isEmpty()) {
            return oauthError(400, "invalid_request", "The request is missing a required parameter: grant_type.");
        }
        if (!grantType.get().equals("client_credentials")) {
            return oauthError(400, "unsupported_grant_type",
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
            return oauthError(400, "unauthorized_client",
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
                return oauthError(400, "invalid_request", "expires_in must be an integer number of seconds more than "
                        + MIN_EXPIRES_IN + " and less than " + MAX_EXPIRES_IN + ".");
            }
            lifetime = Duration.ofSeconds(seconds.getAsLong());
        }

        JsonNode scopeNode = params.get("scope");
        if (scopeNode != null && !scopeNode.isNull() && !scopeNode.isTextual()) {
            return oauthError(400, "invalid_scope", "scope must be one string of space-separated scopes.");
        }
        // A missing scope is refused like a blank one: the docs always send it and are silent on a default.
        String scopeText = text(scopeNode).orElse("").trim();
        if (scopeText.isEmpty()) {
            return oauthError(400, "invalid_scope", "The requested scope is blank.");
        }
        List<String> scopes = List.copyOf(new LinkedHashSet<>(List.of(scopeText.split("\\s+"))));
        List<String> invalid = scopes.stream().filter(s -> !ScopeGrammar.isValid(s)).toList();
        if (!invalid.isEmpty()) {
            return oauthError(400, "invalid_scope", "The requested scope is invalid. Invalid scopes: "
                    + String.join(", ", invalid));
        }
        Set<String> allowed = client.allowedScopes();
        List<String> disallowed = allowed == null ? List.of()
                : scopes.stream().filter(s -> !ScopeGrammar.permits(allowed, s)).toList();
        if (!disallowed.isEmpty()) {
            return oauthError(400, "invalid_scope", "The requested scope is not allowed for this OAuth client. "
                    + "Disallowed scopes: " + String.join(", ", disallowed));
        }

        Instant now = state.now();
        long owner = state.ownerOf(client).orElseThrow();
        IssuedToken minted = state.mint(client.id(), owner, scopes, now, now.plus(lifetime));
        state.countClientCredentialsGrant();
        ObjectNode body = object()
                .put("access_token", minted.fullToken())
                .put("token_type", "bearer")
                .put("scope", String.join(" ", scopes))
                .put("expires_in", lifetime.toSeconds());
        // RFC 6749 §5.1: token answers must not be cached
        return json(201, body).withHeader("Cache-Control", "no-store").withHeader("Pragma", "no-cache");
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
        return oauthError(401, "invalid_client",
                "Client authentication failed due to unknown client, no client authentication included, "
                        + "or unsupported authentication method.");
    }

    /** RFC 6749's error shape, which Zendesk's OAuth endpoints use. */
    private static ApiResponse oauthError(int status, String error, String description) {
        return json(status, object().put("error", error).put("error_description", description));
    }

    private ApiResponse currentToken(ApiRequest request, Matcher path, Caller caller) {
        if (caller instanceof Caller.TokenHolder holder) {
            // no scope needed: any live token may read its own record (OAuth Tokens reference, Show Token with
            // "current"); never with full_token, which only Create Token's answer carries
            return json(200, object().set("token", tokenJson(holder.token(), false)));
        }
        // Docs are silent for non-OAuth callers: there is no current token record, as for DELETE below.
        return caller instanceof Caller.Staff ? notFound() : denied(caller);
    }

    private ApiResponse listTokens(ApiRequest request, Matcher path, User admin) {
        Optional<String> clientParam = request.param("client_id");
        OptionalLong clientId = clientParam.map(ZendeskApi::parseLong).orElse(OptionalLong.empty());
        boolean all = request.param("all").filter("true"::equalsIgnoreCase).isPresent();
        // Expired tokens are listed only with include_expired=true (OAuth Tokens reference, List Tokens; OpenAPI 2026).
        boolean includeExpired = request.param("include_expired").filter("true"::equalsIgnoreCase).isPresent();
        Instant now = state.now();
        List<IssuedToken> tokens = state.liveTokens().stream()
                .filter(t -> clientParam.isEmpty() || clientId.isPresent() && t.clientId() == clientId.getAsLong())
                .filter(t -> all || t.userId() == admin.id())
                .filter(t -> includeExpired || !t.expiredAt(now))
                .toList();
        if (request.param("page[size]").isPresent() || request.param("page[after]").isPresent()
                || request.param("page[before]").isPresent()) {
            return pages.cursor(request, "tokens", tokens, IssuedToken::id, t -> tokenJson(t, false));
        }
        // Offset pagination stops at page 100 (Zendesk's Pagination guide: "offset pagination ... first 100 pages").
        if (Pages.intParam(request, "page", 1) > MAX_OFFSET_PAGES) {
            return ApiResponse.error(400, "InvalidPaginationParameter", "Offset pagination is limited to the first "
                    + MAX_OFFSET_PAGES + " pages; use cursor pagination (page[size], page[after])");
        }
        return pages.offset(request, "tokens", tokens, t -> tokenJson(t, false));
    }

    private ApiResponse showToken(ApiRequest request, Matcher path, User admin) {
        return state.token(Long.parseLong(path.group(1))).filter(IssuedToken::live)
                .map(t -> json(200, object().set("token", tokenJson(t, false))))
                .orElseGet(ZendeskApi::notFound);
    }

    private ApiResponse revokeToken(ApiRequest request, Matcher path, User admin) {
        return state.revoke(Long.parseLong(path.group(1))) ? ApiResponse.noContent() : notFound();
    }

    private ApiResponse revokeCurrentToken(ApiRequest request, Matcher path, Caller caller) {
        if (caller instanceof Caller.TokenHolder holder) {
            return state.revoke(holder.token().id()) ? ApiResponse.noContent() : notFound();
        }
        return caller instanceof Caller.Staff ? notFound() : denied(caller);
    }

    private ObjectNode tokenJson(IssuedToken token, boolean withSecret) {
        ObjectNode json = object()
                .put("id", token.id())
                .put("url", baseUrl.get() + "/api/v2/oauth/tokens/" + token.id() + ".json")
                .put("user_id", token.userId())
                .put("client_id", token.clientId())
                .put("token", token.tokenPrefix());
        if (withSecret) {
            json.put("full_token", token.fullToken());
        }
        ArrayNode scopes = json.putArray("scopes");
        token.scopes().forEach(scopes::add);
        putInstant(json, "created_at", token.createdAt());
        putInstant(json, "expires_at", token.expiresAt());
        json.putNull("used_at");
        json.putNull("refresh_token");
        json.putNull("refresh_token_expires_at");
        return json;
    }

    // ---------------------------------------------------------------- clients

    private ApiResponse listClients(ApiRequest request, Matcher path, User admin) {
        List<OAuthClient> clients = state.clients();
        return state.clientsPagination() == Pagination.OFFSET
                ? pages.offset(request, "clients", clients, this::clientJson)
                : pages.cursor(request, "clients", clients, OAuthClient::id, this::clientJson);
    }

    private ApiResponse showClient(ApiRequest request, Matcher path, User admin) {
        return state.client(Long.parseLong(path.group(1)))
                .map(c -> json(200, object().set("client", clientJson(c))))
                .orElseGet(ZendeskApi::notFound);
    }

    private ObjectNode clientJson(OAuthClient client) {
        ObjectNode json = object()
                .put("id", client.id())
                .put("url", baseUrl.get() + "/api/v2/oauth/clients/" + client.id() + ".json")
                .put("name", "Emulated " + client.identifier())
                .put("identifier", client.identifier())
                .put("kind", client.kind().apiName());
        json.put("user_id", state.ownerOf(client).orElse(null));
        json.put("company", "Emulated Zendesk");
        json.putNull("description");
        json.putArray("redirect_uri");
        putInstant(json, "created_at", client.createdAt());
        putInstant(json, "updated_at", client.createdAt());
        return json;
    }

    // ---------------------------------------------------------------- users

    private ApiResponse me(ApiRequest request, Matcher path, Caller caller) {
        if (caller instanceof Caller.Staff staff) {
            return json(200, object().set("user", userJson(staff.user())));
        }
        if (caller instanceof Caller.BadBearer) {
            // an unknown, revoked or expired OAuth token is refused everywhere, users/me included
            return denied(caller);
        }
        if (caller instanceof Caller.TokenHolder holder) {
            long userId = holder.token().userId();
            User user = state.user(userId)
                    .orElseGet(() -> new User(userId, "user" + userId + "@example.com", EmulatorState.Role.ADMIN));
            return withScope(caller, () -> json(200, object().set("user", userJson(user))), "read", "users:read");
        }
        // No or unaccepted Basic credentials: users/me answers 200 with the anonymous user, not 401 (Zendesk's Users
        // reference, Show the Currently Authenticated User: "If the requesting user is not authenticated, returns an
        // anonymous user"; also seen by every client that checks credentials with it).
        ObjectNode anonymous = object().putNull("id").putNull("url")
                .put("name", "Anonymous user").put("email", "invalid@example.com").put("role", "end-user");
        return json(200, object().set("user", anonymous));
    }

    private ObjectNode userJson(User user) {
        return object()
                .put("id", user.id())
                .put("url", baseUrl.get() + "/api/v2/users/" + user.id() + ".json")
                .put("name", user.name())
                .put("email", user.email())
                .put("role", user.role().apiName())
                .put("active", true);
    }

    // ---------------------------------------------------------------- small helpers

    private static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    private static ApiResponse json(int status, JsonNode body) {
        return ApiResponse.json(status, (ObjectNode) body);
    }

    private static ApiResponse recordInvalid(String field, String description) {
        ObjectNode body = object().put("error", "RecordInvalid").put("description", "Record validation errors");
        body.putObject("details").putArray(field).addObject().put("description", description);
        return json(422, body);
    }

    private static void putInstant(ObjectNode json, String field, Instant instant) {
        json.put(field, instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant));
    }

    static OptionalLong parseLong(String text) {
        String trimmed = text.trim();
        return DIGITS.matcher(trimmed).matches() ? OptionalLong.of(Long.parseLong(trimmed)) : OptionalLong.empty();
    }

    private static OptionalLong parseId(JsonNode node) {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return OptionalLong.of(node.longValue());
        }
        return node.isTextual() ? parseLong(node.textValue()) : OptionalLong.empty();
    }

    /** The texts of a JSON array, without duplicates; non-text elements become their JSON text. */
    private static List<String> distinctTexts(JsonNode array) {
        Set<String> texts = new LinkedHashSet<>();
        array.forEach(element -> texts.add(element.isTextual() ? element.textValue() : element.toString()));
        return List.copyOf(texts);
    }


}
