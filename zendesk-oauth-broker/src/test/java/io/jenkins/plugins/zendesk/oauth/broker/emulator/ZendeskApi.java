package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static io.jenkins.plugins.zendesk.oauth.broker.emulator.ApiResponse.MAPPER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.OAuthClient;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.User;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Zendesk Support API endpoints the emulator knows, answering from {@link EmulatorState}. */
final class ZendeskApi {

    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    /** Offset pagination answers 400 past this page (Zendesk's Pagination guide). */
    static final int MAX_OFFSET_PAGES = 100;

    private record Route(String method, Pattern path, Access.Handler handler) {
    }

    private final EmulatorState state;
    private final Supplier<String> baseUrl;
    private final List<Route> routes;
    private final Pages pages;
    private final ClientCredentialsGrant grant;
    private final Access access;

    ZendeskApi(EmulatorState state, Supplier<String> baseUrl) {
        this.state = state;
        this.baseUrl = baseUrl;
        this.pages = new Pages(baseUrl);
        this.grant = new ClientCredentialsGrant(state);
        this.access = new Access(state);
        // An OAuth token on an admin endpoint needs the global scope of the HTTP method: Zendesk's "read"
        // covers GET endpoints, "write" POST/PUT/DELETE ones (OAuth Tokens reference, "Scopes"); resource scopes
        // (tickets:read...) do not cover the OAuth endpoints, which belong to no resource.
        this.routes = List.of(
                route("POST", "/oauth/tokens", (request, path, caller) -> grant.answer(request)),
                route("POST", "/api/v2/oauth/tokens", access.adminOnly("write", this::createToken)),
                route("GET", "/api/v2/oauth/tokens", access.adminOnly("read", this::listTokens)),
                route("GET", "/api/v2/oauth/tokens/current", this::currentToken),
                route("DELETE", "/api/v2/oauth/tokens/current", this::revokeCurrentToken),
                route("GET", "/api/v2/oauth/tokens/(\\d+)", access.adminOnly("read", this::showToken)),
                route("DELETE", "/api/v2/oauth/tokens/(\\d+)", access.adminOnly("write", this::revokeToken)),
                route("GET", "/api/v2/oauth/clients", access.adminOnly("read", this::listClients)),
                route("GET", "/api/v2/oauth/clients/(\\d+)", access.adminOnly("read", this::showClient)),
                route("GET", "/api/v2/users/me", this::me),
                route("GET", "/api/v2/tickets", (request, path, caller) ->
                        Access.withScope(caller, () -> json(200, object().set("tickets", MAPPER.createArrayNode())),
                                "read", "tickets:read")),
                route("POST", "/api/v2/tickets", (request, path, caller) ->
                        Access.withScope(caller, () -> json(201, object().set("ticket", object().put("id", 1))),
                                "write", "tickets:write")));
    }

    private static Route route(String method, String path, Access.Handler handler) {
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
        List<String> invalid = ScopeGrammar.invalid(scopes);
        if (!invalid.isEmpty() && !state.acceptInvalidScopes()) {
            return ApiResponse.error(422, "InvalidValue",
                    "Requested scopes are invalid. Invalid scopes: " + String.join(", ", invalid));
        }
        List<String> disallowed = ScopeGrammar.disallowed(client.get().allowedScopes(), scopes);
        if (!disallowed.isEmpty()) {
            // 400 invalid_scope: "Announcing more granular OAuth client scopes" (Zendesk, 2026-08-06).
            return ApiResponse.oauthError(400, "invalid_scope", "The requested scope is not allowed for this OAuth client. "
                    + "Disallowed scopes: " + String.join(", ", disallowed));
        }
        // token.expires_at is read-only per the docs (Create Token documents only client_id and scopes as
        // input), so any expires_at in the body is ignored; the expiry comes from the client's token lifetime.
        Instant now = state.now();
        Instant expiresAt = state.createTokenLifetime(client.get()).map(now::plus).orElse(null);
        IssuedToken minted = state.mint(client.get().id(), admin.id(), scopes, now, expiresAt);
        return json(201, object().set("token", tokenJson(minted, true)));
    }

    private ApiResponse currentToken(ApiRequest request, Matcher path, Caller caller) {
        if (caller instanceof Caller.TokenHolder holder) {
            // no scope needed: any live token may read its own record (OAuth Tokens reference, Show Token with
            // "current"); never with full_token, which only Create Token's answer carries
            return json(200, object().set("token", tokenJson(holder.token(), false)));
        }
        // Docs are silent for non-OAuth callers: there is no current token record, as for DELETE below.
        return caller instanceof Caller.Staff ? notFound() : Access.denied(caller);
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
        return caller instanceof Caller.Staff ? notFound() : Access.denied(caller);
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
            return Access.denied(caller);
        }
        if (caller instanceof Caller.TokenHolder holder) {
            long userId = holder.token().userId();
            User user = state.user(userId)
                    .orElseGet(() -> new User(userId, "user" + userId + "@example.com", EmulatorState.Role.ADMIN));
            return Access.withScope(caller, () -> json(200, object().set("user", userJson(user))), "read", "users:read");
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
