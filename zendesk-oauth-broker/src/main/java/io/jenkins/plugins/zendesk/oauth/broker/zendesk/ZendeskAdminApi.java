package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.Redaction;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Zendesk's OAuth admin endpoints for one site and one admin authentication. Cheap to create;
 * thread-safe.
 */
public final class ZendeskAdminApi {
    /** Safety bound on pagination: 1,000 pages of 100 is far beyond any real account. */
    private static final int MAX_PAGES = 1000;

    private final ZendeskTransport transport;
    private final ZendeskSite site;
    private final AdminAuth auth;
    private final Admission admission;

    ZendeskAdminApi(ZendeskTransport transport, ZendeskSite site, AdminAuth auth, Admission admission) {
        this.transport = transport;
        this.site = site;
        this.auth = auth;
        this.admission = admission;
    }

    /** The same API whose calls wait for the site's rate limit as {@code how} says (by default: {@link Admission#build()}). */
    public ZendeskAdminApi waitingAs(Admission how) {
        return new ZendeskAdminApi(transport, site, auth, how);
    }

    /**
     * The control token these calls authenticate with, granted now unless one is cached: present for
     * {@link AdminAuth.ClientCredentials} only, since the other kinds send a fixed header.
     */
    public Optional<ControlTokens.ControlToken> controlToken() {
        return auth.authorize(new AdminAuth.Authorizer<>() {
            @Override
            public Optional<ControlTokens.ControlToken> withHeader(String authorization) {
                return Optional.empty();
            }

            @Override
            public Optional<ControlTokens.ControlToken> withControlToken(AdminAuth.ClientCredentials credentials) {
                return Optional.of(transport.controlTokens().token(site.toString(), credentials, admission));
            }
        });
    }

    /**
     * Mints a token: {@code POST /api/v2/oauth/tokens.json} with the only documented inputs, {@code client_id}
     * and {@code scopes}. Its lifetime is the client's (Zendesk reports it as {@code expires_at}). Never
     * repeated blindly (see {@link MintOutcomeUnknownException}).
     */
    public MintedToken mint(long clientId, ScopeSet scopes) {
        if (scopes.isEmpty()) {
            throw new ZendeskInputException("scopes", "no scopes requested; name at least one, e.g. tickets:read");
        }
        ObjectNode body = ZendeskTransport.JSON.createObjectNode();
        ObjectNode token = body.putObject("token");
        token.put("client_id", clientId);
        scopes.asStrings().forEach(token.putArray("scopes")::add);
        ZendeskReply reply = send(call("POST", "/api/v2/oauth/tokens.json", body, false, List.of(200, 201)));
        JsonNode t = reply.json().path("token");
        String fullToken = t.path("full_token").isTextual() ? t.path("full_token").textValue() : "";
        if (!t.path("id").canConvertToLong() || !t.path("id").isIntegralNumber()) {
            // Zendesk said yes but the answer is unusable: a token may exist that we cannot name.
            throw new MintOutcomeUnknownException("POST /api/v2/oauth/tokens.json on " + site + ": Zendesk answered HTTP "
                    + reply.status() + " without a token id; the token will be reconciled and revoked.",
                    transport.clock().instant(), transport.clock().instant(), null);
        }
        if (fullToken.isBlank()) {
            // full_token is in no published schema, though every client reads it: without it the token is useless.
            throw withoutFullToken(t.path("id").asLong(), reply.status());
        }
        return new MintedToken(t.path("id").asLong(), SecretValue.of(fullToken), t.path("client_id").asLong(clientId),
                t.path("user_id").asLong(0), scopesOf(t, scopes), instant(t.path("created_at")).orElse(transport.clock().instant()),
                instant(t.path("expires_at")));
    }

    /**
     * Create Token answered without a usable {@code full_token}: the token it names is revoked at once, so nothing
     * is left live. If that revocation fails, the outcome counts as unknown and the reconciler revokes it later.
     */
    private ZendeskException withoutFullToken(long tokenId, int status) {
        String problem = "POST /api/v2/oauth/tokens.json on " + site + ": Zendesk's answer to Create Token had no full_token (HTTP "
                + status + ", token id " + tokenId + ")";
        try {
            revoke(tokenId);
        } catch (ZendeskException revocation) {
            return new MintOutcomeUnknownException(problem + "; revoking that token failed too (" + revocation.getMessage()
                    + "), so it will be reconciled and revoked.", transport.clock().instant(), transport.clock().instant(), revocation);
        }
        return new ZendeskApiException(status, ZendeskApiException.Reason.UNEXPECTED_RESPONSE, problem
                + "; that token was revoked at once. Retry; if it persists, a proxy may be altering Zendesk's answers.");
    }

    /**
     * Revokes a token by id with admin authentication: {@code DELETE /api/v2/oauth/tokens/{id}.json}.
     * Idempotent: a token that is already gone counts as revoked.
     *
     * @return true if this call revoked it, false if Zendesk no longer knew it (404)
     */
    public boolean revoke(long tokenId) {
        ZendeskReply reply = send(call("DELETE", "/api/v2/oauth/tokens/" + tokenId + ".json", null, true,
                List.of(200, 204, 404)));
        return reply.status() != 404;
    }

    /** The user behind the admin authentication; fails unless it is an authenticated admin. */
    public ZendeskUser me() {
        JsonNode user = send(call("GET", "/api/v2/users/me.json", null, true, List.of(200))).json().path("user");
        if (!user.path("id").canConvertToLong() || user.path("id").isNull()) {
            // Zendesk answers 200 with an anonymous user when credentials are not accepted.
            throw new ZendeskApiException(200, ZendeskApiException.Reason.AUTHENTICATION, "GET /api/v2/users/me.json on " + site
                    + ": Zendesk did not recognise the " + auth.describe() + " (it answered as an anonymous user). "
                    + auth.rejectionAdvice());
        }
        ZendeskUser me = new ZendeskUser(user.path("id").asLong(), user.path("name").asText(""), user.path("email").asText(""),
                user.path("role").asText(""));
        if (!me.isAdmin()) {
            throw new ZendeskApiException(200, ZendeskApiException.Reason.PERMISSION, site + ": the Zendesk user " + me.email()
                    + " has role '" + me.role() + "'; only admins can create OAuth tokens. Use an admin, ideally a dedicated robot admin.");
        }
        return me;
    }

    /** Every OAuth client of the account, following cursor or offset pagination. */
    public List<OAuthClientInfo> listClients() {
        List<OAuthClientInfo> clients = new ArrayList<>();
        paginate("/api/v2/oauth/clients.json?page%5Bsize%5D=100", "clients", node -> {
            clients.add(client(node));
            return false;
        });
        return clients;
    }

    /**
     * The numeric id of a client: immediate for {@link OAuthClientRef.ById}; a lookup through the
     * List Clients endpoint, stopping at the first match, for {@link OAuthClientRef.ByIdentifier}.
     */
    public long resolveClientId(OAuthClientRef ref) {
        if (ref instanceof OAuthClientRef.ById byId) {
            return byId.id();
        }
        String identifier = ((OAuthClientRef.ByIdentifier) ref).identifier();
        List<OAuthClientInfo> found = new ArrayList<>();
        paginate("/api/v2/oauth/clients.json?page%5Bsize%5D=100", "clients", node -> {
            OAuthClientInfo info = client(node);
            if (identifier.equals(info.identifier())) {
                found.add(info);
                return true;
            }
            return false;
        });
        if (found.isEmpty()) {
            throw new ZendeskInputException("client", "no OAuth client with unique identifier '" + Redaction.shown(identifier) + "' on " + site
                    + "; check Admin Center > Apps and integrations > APIs > OAuth clients, or enter the numeric client id");
        }
        return found.get(0).id();
    }

    /**
     * Live, unexpired tokens of a client created by this admin: {@code GET /api/v2/oauth/tokens.json?client_id=}
     * with cursor pagination (offset pagination answers 400 past page 100). {@code include_expired} is not sent:
     * an expired token needs no revocation, so reconciliation has nothing to do with it.
     */
    public List<IssuedTokenInfo> listTokens(long clientId) {
        List<IssuedTokenInfo> tokens = new ArrayList<>();
        paginate("/api/v2/oauth/tokens.json?client_id=" + clientId + "&page%5Bsize%5D=100", "tokens", node -> {
            if (node.path("id").canConvertToLong()) {
                List<String> scopes = new ArrayList<>();
                node.path("scopes").forEach(s -> scopes.add(s.asText()));
                tokens.add(new IssuedTokenInfo(node.path("id").asLong(), node.path("client_id").asLong(clientId),
                        node.path("user_id").asLong(0), scopes, instant(node.path("created_at")).orElse(Instant.EPOCH)));
            }
            return false;
        });
        return tokens;
    }

    /**
     * Walks the pages of a list endpoint, handing each item of {@code arrayName} to {@code visitor}
     * until it returns true. Handles both cursor ({@code meta.has_more}, {@code links.next}) and
     * offset ({@code next_page}) answers; never follows a link to another origin.
     */
    private void paginate(String firstPage, String arrayName, Predicate<JsonNode> visitor) {
        URI next = site.resolve(firstPage);
        for (int page = 0; next != null; page++) {
            if (page >= MAX_PAGES) {
                throw new ZendeskApiException(200, ZendeskApiException.Reason.UNEXPECTED_RESPONSE,
                        "GET " + firstPage + " on " + site + ": more than " + MAX_PAGES + " pages; giving up");
            }
            JsonNode json = send(call("GET", next, null, true, List.of(200))).json();
            for (JsonNode item : json.path(arrayName)) {
                if (visitor.test(item)) {
                    return;
                }
            }
            next = nextPage(json);
        }
    }

    private URI nextPage(JsonNode json) {
        String link;
        if (json.has("meta") && json.path("meta").has("has_more")) {
            link = json.path("meta").path("has_more").asBoolean(false) ? json.path("links").path("next").asText("") : "";
        } else {
            link = json.path("next_page").asText("");
        }
        if (link.isBlank() || link.equals("null")) {
            return null;
        }
        URI uri = URI.create(link);
        if (!site.isSameOrigin(uri)) {
            throw new ZendeskApiException(200, ZendeskApiException.Reason.UNEXPECTED_RESPONSE, site + ": the next page link points to "
                    + uri.getScheme() + "://" + uri.getRawAuthority() + ", another origin; it is not followed with the admin credentials");
        }
        return uri;
    }

    private static OAuthClientInfo client(JsonNode node) {
        return new OAuthClientInfo(node.path("id").asLong(), node.path("identifier").asText(""), node.path("name").asText(""));
    }

    private static ScopeSet scopesOf(JsonNode token, ScopeSet requested) {
        if (!token.path("scopes").isArray()) {
            return requested;
        }
        List<String> granted = new ArrayList<>();
        token.path("scopes").forEach(s -> granted.add(s.asText()));
        try {
            // Zendesk's answer is authoritative: a scope our catalogue does not know yet is still what was granted.
            return ScopeSet.parseAllowed(granted, "scopes");
        } catch (ZendeskInputException malformed) {
            return requested;
        }
    }

    private static Optional<Instant> instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(node.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private ZendeskReply send(ZendeskCall call) {
        return transport.send(call, admission);
    }

    private ZendeskCall call(String method, String path, JsonNode body, boolean idempotent, List<Integer> ok) {
        return call(method, site.resolve(path), body, idempotent, ok);
    }

    private ZendeskCall call(String method, URI uri, JsonNode body, boolean idempotent, List<Integer> ok) {
        return new ZendeskCall(method, uri, auth, body, idempotent, ok, List.of(auth.secret()));
    }
}
