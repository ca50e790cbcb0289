package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static io.jenkins.plugins.zendesk.oauth.broker.emulator.ApiResponse.MAPPER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.OAuthClient;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Zendesk Support API endpoints the emulator knows, answering from {@link EmulatorState}. */
final class ZendeskApi {

    static final int MAX_PAGE_SIZE = 100;
    static final String FORBIDDEN_DESCRIPTION = "You do not have access to this page. "
            + "Please contact the account owner of this help desk for further help.";
    static final String INVALID_TOKEN_DESCRIPTION = "The access token provided is expired, revoked, "
            + "malformed or invalid for other reasons.";

    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final String CURSOR_PREFIX = "client:";

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

    ZendeskApi(EmulatorState state, Supplier<String> baseUrl) {
        this.state = state;
        this.baseUrl = baseUrl;
        this.routes = List.of(
                route("POST", "/api/v2/oauth/tokens", adminOnly(this::createToken)),
                route("GET", "/api/v2/oauth/tokens", adminOnly(this::listTokens)),
                route("DELETE", "/api/v2/oauth/tokens/current", this::revokeCurrentToken),
                route("GET", "/api/v2/oauth/tokens/(\\d+)", adminOnly(this::showToken)),
                route("DELETE", "/api/v2/oauth/tokens/(\\d+)", adminOnly(this::revokeToken)),
                route("GET", "/api/v2/oauth/clients", adminOnly(this::listClients)),
                route("GET", "/api/v2/oauth/clients/(\\d+)", adminOnly(this::showClient)),
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
                Caller caller = state.authenticate(request.authorization(), Instant.now());
                return route.handler().handle(request, path, caller);
            }
        }
        return ApiResponse.error(404, "InvalidEndpoint", "Not found");
    }

    // ---------------------------------------------------------------- access control

    private static Handler adminOnly(AdminHandler handler) {
        return (request, path, caller) -> caller instanceof Caller.Staff staff && staff.admin()
                ? handler.handle(request, path, staff.user())
                : denied(caller);
    }

    private static ApiResponse withScope(Caller caller, Supplier<ApiResponse> action, String... anyOf) {
        if (caller instanceof Caller.Staff) {
            return action.get();
        }
        if (caller instanceof Caller.TokenHolder holder) {
            return ScopeGrammar.grantsAny(holder.token().scopes(), anyOf) ? action.get() : forbidden();
        }
        return denied(caller);
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
            return ApiResponse.error(422, "InvalidValue", "Requested scopes are not allowed for this OAuth client. "
                    + "Disallowed scopes: " + String.join(", ", disallowed));
        }
        JsonNode expiresNode = token.get("expires_at");
        Optional<Instant> expiresAt = parseInstant(expiresNode);
        if (expiresNode != null && !expiresNode.isNull() && expiresAt.isEmpty()) {
            return recordInvalid("expires_at", "Expires at is invalid");
        }
        IssuedToken minted = state.mint(client.get().id(), admin.id(), scopes, Instant.now(), expiresAt.orElse(null));
        return json(201, object().set("token", tokenJson(minted, true)));
    }

    private ApiResponse listTokens(ApiRequest request, Matcher path, User admin) {
        Optional<String> clientParam = request.param("client_id");
        OptionalLong clientId = clientParam.map(ZendeskApi::parseLong).orElse(OptionalLong.empty());
        boolean all = request.param("all").filter("true"::equalsIgnoreCase).isPresent();
        List<IssuedToken> tokens = state.liveTokens().stream()
                .filter(t -> clientParam.isEmpty() || clientId.isPresent() && t.clientId() == clientId.getAsLong())
                .filter(t -> all || t.userId() == admin.id())
                .toList();
        return offsetPage(request, "tokens", tokens, t -> tokenJson(t, false));
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
                ? offsetPage(request, "clients", clients, this::clientJson)
                : cursorClients(request, clients);
    }

    private ApiResponse showClient(ApiRequest request, Matcher path, User admin) {
        return state.client(Long.parseLong(path.group(1)))
                .map(c -> json(200, object().set("client", clientJson(c))))
                .orElseGet(ZendeskApi::notFound);
    }

    private ApiResponse cursorClients(ApiRequest request, List<OAuthClient> clients) {
        Optional<String> sizeParam = request.param("page[size]");
        OptionalLong size = sizeParam.map(ZendeskApi::parseLong).orElse(OptionalLong.of(MAX_PAGE_SIZE));
        if (size.isEmpty() || size.getAsLong() < 1 || size.getAsLong() > MAX_PAGE_SIZE) {
            return ApiResponse.error(400, "InvalidPaginationParameter",
                    "page[size] must be an integer between 1 and " + MAX_PAGE_SIZE);
        }
        Optional<String> after = request.param("page[after]");
        Optional<String> before = request.param("page[before]");
        OptionalLong afterId = after.map(ZendeskApi::decodeCursor).orElse(OptionalLong.of(Long.MIN_VALUE));
        OptionalLong beforeId = before.map(ZendeskApi::decodeCursor).orElse(OptionalLong.of(Long.MAX_VALUE));
        if (afterId.isEmpty() || beforeId.isEmpty()) {
            return ApiResponse.error(400, "InvalidPaginationParameter", "page[after] / page[before] cursor is invalid");
        }
        List<OAuthClient> window = clients.stream()
                .filter(c -> c.id() > afterId.getAsLong() && c.id() < beforeId.getAsLong()).toList();
        int pageSize = (int) size.getAsLong();
        List<OAuthClient> page = before.isPresent() && after.isEmpty()
                ? window.subList(Math.max(0, window.size() - pageSize), window.size())
                : window.subList(0, Math.min(pageSize, window.size()));
        Optional<Long> firstId = page.isEmpty() ? Optional.empty() : Optional.of(page.get(0).id());
        Optional<Long> lastId = page.isEmpty() ? Optional.empty() : Optional.of(page.get(page.size() - 1).id());
        boolean moreAfter = lastId.isPresent() && clients.stream().anyMatch(c -> c.id() > lastId.get());
        boolean moreBefore = firstId.isPresent() && clients.stream().anyMatch(c -> c.id() < firstId.get());

        ObjectNode body = object();
        ArrayNode items = body.putArray("clients");
        page.forEach(c -> items.add(clientJson(c)));
        ObjectNode meta = body.putObject("meta");
        meta.put("has_more", before.isPresent() && after.isEmpty() ? moreBefore : moreAfter);
        meta.put("after_cursor", lastId.map(ZendeskApi::encodeCursor).orElse(null));
        meta.put("before_cursor", firstId.map(ZendeskApi::encodeCursor).orElse(null));
        ObjectNode links = body.putObject("links");
        links.put("next", moreAfter ? cursorLink(request, pageSize, "page[after]", lastId.get()) : null);
        links.put("prev", moreBefore ? cursorLink(request, pageSize, "page[before]", firstId.get()) : null);
        return json(200, body);
    }

    private String cursorLink(ApiRequest request, int pageSize, String direction, long clientId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(direction, encodeCursor(clientId));
        params.put("page[size]", Integer.toString(pageSize));
        return link(request, params, Set.of("page[after]", "page[before]", "page[size]"));
    }

    private ObjectNode clientJson(OAuthClient client) {
        ObjectNode json = object()
                .put("id", client.id())
                .put("url", baseUrl.get() + "/api/v2/oauth/clients/" + client.id() + ".json")
                .put("name", "Emulated " + client.identifier())
                .put("identifier", client.identifier())
                .put("kind", "public");
        json.put("user_id", state.firstAdminId().orElse(null));
        json.put("company", "Emulated Zendesk");
        json.putNull("description");
        json.putArray("redirect_uri");
        putInstant(json, "created_at", client.createdAt());
        putInstant(json, "updated_at", client.createdAt());
        return json;
    }

    private static String encodeCursor(long clientId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + clientId).getBytes(StandardCharsets.UTF_8));
    }

    private static OptionalLong decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return text.startsWith(CURSOR_PREFIX) ? parseLong(text.substring(CURSOR_PREFIX.length()))
                    : OptionalLong.empty();
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    // ---------------------------------------------------------------- users

    private ApiResponse me(ApiRequest request, Matcher path, Caller caller) {
        if (caller instanceof Caller.Staff staff) {
            return json(200, object().set("user", userJson(staff.user())));
        }
        if (caller instanceof Caller.TokenHolder holder) {
            long userId = holder.token().userId();
            User user = state.user(userId)
                    .orElseGet(() -> new User(userId, "user" + userId + "@example.com", EmulatorState.Role.ADMIN));
            return withScope(caller, () -> json(200, object().set("user", userJson(user))), "read", "users:read");
        }
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

    // ---------------------------------------------------------------- offset pagination & links

    private <T> ApiResponse offsetPage(ApiRequest request, String key, List<T> items, Function<T, ObjectNode> toJson) {
        long perPage = Math.max(1, Math.min(MAX_PAGE_SIZE, intParam(request, "per_page", MAX_PAGE_SIZE)));
        long page = Math.max(1, intParam(request, "page", 1));
        int from = (int) Math.min(items.size(), (page - 1) * perPage);
        int to = (int) Math.min(items.size(), from + perPage);
        ObjectNode body = object();
        ArrayNode array = body.putArray(key);
        items.subList(from, to).forEach(item -> array.add(toJson.apply(item)));
        body.put("next_page", to < items.size() ? pageLink(request, page + 1) : null);
        body.put("previous_page", page > 1 ? pageLink(request, page - 1) : null);
        body.put("count", items.size());
        return json(200, body);
    }

    private String pageLink(ApiRequest request, long page) {
        return link(request, Map.of("page", Long.toString(page)), Set.of("page"));
    }

    /** A full URL to the same path with the query minus {@code drop}, plus {@code add}. */
    private String link(ApiRequest request, Map<String, String> add, Set<String> drop) {
        List<String> pairs = new ArrayList<>();
        request.query().forEach((name, values) -> {
            if (!drop.contains(name)) {
                values.forEach(value -> pairs.add(encode(name) + "=" + encode(value)));
            }
        });
        add.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        return baseUrl.get() + request.path() + "?" + String.join("&", pairs);
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

    private static long intParam(ApiRequest request, String name, long fallback) {
        return request.param(name).map(ZendeskApi::parseLong).orElse(OptionalLong.empty()).orElse(fallback);
    }

    private static OptionalLong parseLong(String text) {
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

    private static Optional<Instant> parseInstant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(node.textValue()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The texts of a JSON array, without duplicates; non-text elements become their JSON text. */
    private static List<String> distinctTexts(JsonNode array) {
        Set<String> texts = new LinkedHashSet<>();
        array.forEach(element -> texts.add(element.isTextual() ? element.textValue() : element.toString()));
        return List.copyOf(texts);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

}
