package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZendeskEmulatorTest {

    private static final long ADMIN_ID = 1;
    private static final String ADMIN_EMAIL = "admin@example.com";
    private static final String ADMIN_API_TOKEN = "admin-api-token";
    private static final long CLIENT_ID = 50328;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(() -> ZendeskEmulator.start()
                .admin(ADMIN_ID, ADMIN_EMAIL, ADMIN_API_TOKEN)
                .client(CLIENT_ID, "jenkins"))
            // These tests check what the emulator itself keeps live, counts and lists.
            .releasingWith(ZendeskEmulatorExtension::revokeAllExternally);
    private String admin;

    @BeforeEach
    void startZendesk() {
        admin = apiTokenAuth(ADMIN_EMAIL, ADMIN_API_TOKEN);
    }

    // ---------------------------------------------------------------- token lifecycle

    @Test
    void mintUseRevokeLifecycle() throws Exception {
        HttpResponse<String> minted = mint(admin, CLIENT_ID, "[\"tickets:read\"]");

        assertThat(minted.statusCode()).isEqualTo(201);
        assertThat(minted.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode token = json(minted).get("token");
        long id = token.get("id").asLong();
        String fullToken = token.get("full_token").asText();
        assertThat(id).isGreaterThanOrEqualTo(9000);
        assertThat(fullToken).matches("[0-9a-f]{64}");
        assertThat(token.get("token").asText()).isEqualTo(fullToken.substring(0, 10));
        assertThat(token.get("url").asText()).isEqualTo(zendesk.emulator().baseUrl() + "/api/v2/oauth/tokens/" + id + ".json");
        assertThat(token.get("user_id").asLong()).isEqualTo(ADMIN_ID);
        assertThat(token.get("client_id").asLong()).isEqualTo(CLIENT_ID);
        assertThat(token.get("scopes")).hasSize(1);
        assertThat(token.get("scopes").get(0).asText()).isEqualTo("tickets:read");
        Instant createdAt = Instant.parse(token.get("created_at").asText());
        assertThat(createdAt).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(Instant.parse(token.get("expires_at").asText())).as("Zendesk's default token lifetime")
                .isEqualTo(createdAt.plus(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME));
        assertThat(token.get("refresh_token").isNull()).isTrue();

        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
        assertThat(zendesk.emulator().liveTokenIds()).containsExactly(id);
        assertThat(zendesk.emulator().token(id)).hasValueSatisfying(t -> {
            assertThat(t.fullToken()).isEqualTo(fullToken);
            assertThat(t.scopes()).containsExactly("tickets:read");
            assertThat(t.revoked()).isFalse();
        });

        assertThat(send("GET", "/api/v2/tickets.json", bearer(fullToken), null).body()).isEqualTo("{\"tickets\":[]}");

        assertThat(send("DELETE", "/api/v2/oauth/tokens/" + id + ".json", admin, null).statusCode()).isEqualTo(204);
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        assertThat(zendesk.emulator().token(id)).hasValueSatisfying(t -> assertThat(t.revoked()).isTrue());
        assertThat(zendesk.emulator().issuedTokens()).extracting(IssuedToken::id).containsExactly(id);

        HttpResponse<String> again = send("DELETE", "/api/v2/oauth/tokens/" + id + ".json", admin, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).get("error").asText()).isEqualTo("RecordNotFound");

        HttpResponse<String> revokedUse = send("GET", "/api/v2/tickets.json", bearer(fullToken), null);
        assertThat(revokedUse.statusCode()).isEqualTo(401);
        assertThat(json(revokedUse).get("error").asText()).isEqualTo("invalid_token");
    }

    @Test
    void mintAcceptsStringClientIdAndIgnoresExpiresAtWhichIsReadOnly() throws Exception {
        for (String expiresAt : List.of("\"2099-01-01T00:00:00Z\"", "\"tomorrow\"")) {
            HttpResponse<String> minted = send("POST", "/api/v2/oauth/tokens.json", admin,
                    "{\"token\":{\"client_id\":\"" + CLIENT_ID + "\",\"scopes\":[\"read\",\"read\",\"write\"],"
                            + "\"expires_at\":" + expiresAt + "}}");

            assertThat(minted.statusCode()).as(expiresAt).isEqualTo(201);
            JsonNode token = json(minted).get("token");
            Instant createdAt = Instant.parse(token.get("created_at").asText());
            assertThat(Instant.parse(token.get("expires_at").asText())).as("the client's lifetime, not the body's expires_at")
                    .isEqualTo(createdAt.plus(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME));
            IssuedToken recorded = zendesk.emulator().token(token.get("id").asLong()).orElseThrow();
            assertThat(recorded.scopes()).containsExactly("read", "write");
            assertThat(recorded.expiresAt()).isEqualTo(createdAt.plus(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME));
            assertThat(send("DELETE", "/api/v2/oauth/tokens/" + recorded.id() + ".json", admin, null).statusCode())
                    .isEqualTo(204);
        }
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    @Test
    void tokenScopesAreEnforcedOnSampleEndpoints() throws Exception {
        String readOnly = fullToken(mint(admin, CLIENT_ID, "[\"tickets:read\"]"));
        String writeOnly = fullToken(mint(admin, CLIENT_ID, "[\"tickets:write\"]"));
        String global = fullToken(mint(admin, CLIENT_ID, "[\"read\",\"write\"]"));

        assertThat(send("GET", "/api/v2/tickets.json", bearer(readOnly), null).statusCode()).isEqualTo(200);
        HttpResponse<String> forbidden = send("POST", "/api/v2/tickets.json", bearer(readOnly), "{}");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).get("error").asText()).isEqualTo("Forbidden");
        assertThat(send("POST", "/api/v2/tickets.json", bearer(writeOnly), "{}").body()).isEqualTo("{\"ticket\":{\"id\":1}}");
        assertThat(send("GET", "/api/v2/tickets.json", bearer(writeOnly), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v2/tickets", bearer(global), null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v2/tickets", bearer(global), "{}").statusCode()).isEqualTo(201);

        assertThat(send("GET", "/api/v2/users/me.json", bearer(readOnly), null).statusCode()).isEqualTo(403);
        JsonNode me = json(send("GET", "/api/v2/users/me.json", bearer(global), null)).get("user");
        assertThat(me.get("id").asLong()).isEqualTo(ADMIN_ID);

        HttpResponse<String> unknown = send("GET", "/api/v2/tickets.json", bearer("0".repeat(64)), null);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(json(unknown).get("error_description").asText()).contains("expired, revoked");
    }

    @Test
    void expiredTokensNoLongerWorkButStayLiveUntilRevoked() throws Exception {
        IssuedToken expired = zendesk.emulator().mintExternally(CLIENT_ID, ADMIN_ID, List.of("read"),
                Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)));

        assertThat(send("GET", "/api/v2/tickets.json", bearer(expired.fullToken()), null).statusCode()).isEqualTo(401);
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
    }

    @Test
    void createTokenTokensLiveTheClientsLifetimeThenGet401() throws Exception {
        for (Duration lifetime : List.of(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME, Duration.ofMinutes(5), Duration.ofHours(48))) {
            if (!lifetime.equals(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME)) {
                zendesk.emulator().tokenLifetime(CLIENT_ID, lifetime);
            }
            JsonNode token = json(mint(admin, CLIENT_ID, "[\"read\"]")).get("token");
            Instant createdAt = Instant.parse(token.get("created_at").asText());
            assertThat(Instant.parse(token.get("expires_at").asText())).as(lifetime.toString()).isEqualTo(createdAt.plus(lifetime));
            String bearer = bearer(token.get("full_token").asText());
            assertThat(send("GET", "/api/v2/tickets.json", bearer, null).statusCode()).as(lifetime.toString()).isEqualTo(200);

            zendesk.emulator().advanceClock(Duration.between(zendesk.emulator().now(), createdAt.plus(lifetime)).plusSeconds(1));
            HttpResponse<String> expired = send("GET", "/api/v2/tickets.json", bearer, null);
            assertThat(expired.statusCode()).as(lifetime.toString()).isEqualTo(401);
            assertThat(json(expired).get("error").asText()).isEqualTo("invalid_token");
            assertThat(send("DELETE", "/api/v2/oauth/tokens/" + token.get("id").asLong() + ".json", admin, null).statusCode())
                    .as("an expired token is still revocable").isEqualTo(204);
        }
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    @Test
    void tokenLifetimesOutsideZendesksRangeNeedTheTestOnlyKnob() throws Exception {
        assertThatThrownBy(() -> zendesk.emulator().tokenLifetime(CLIENT_ID, Duration.ofMinutes(5).minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenLifetimeForTestsOnly");
        assertThatThrownBy(() -> zendesk.emulator().tokenLifetime(CLIENT_ID, Duration.ofHours(48).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);

        zendesk.emulator().tokenLifetimeForTestsOnly(CLIENT_ID, Duration.ofSeconds(60));
        JsonNode token = json(mint(admin, CLIENT_ID, "[\"read\"]")).get("token");
        assertThat(Duration.between(Instant.parse(token.get("created_at").asText()), Instant.parse(token.get("expires_at").asText())))
                .isEqualTo(Duration.ofSeconds(60));

        zendesk.emulator().tokensNeverExpire(CLIENT_ID);
        JsonNode never = json(mint(admin, CLIENT_ID, "[\"read\"]")).get("token");
        assertThat(never.get("expires_at").isNull()).isTrue();
        for (JsonNode t : List.of(token, never)) {
            assertThat(send("DELETE", "/api/v2/oauth/tokens/" + t.get("id").asLong() + ".json", admin, null).statusCode()).isEqualTo(204);
        }
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    @Test
    void revokeCurrentRevokesTheCallingToken() throws Exception {
        JsonNode token = json(mint(admin, CLIENT_ID, "[\"read\"]")).get("token");

        HttpResponse<String> revoked = send("DELETE", "/api/v2/oauth/tokens/current.json",
                bearer(token.get("full_token").asText()), null);

        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    // ---------------------------------------------------------------- validation

    @Test
    void invalidScopesCanBeRejectedWithTheirNames() throws Exception {
        zendesk.emulator().acceptInvalidScopes(false);

        HttpResponse<String> response = mint(admin, CLIENT_ID, "[\"tickets:read\",\"chat\",\"tickts:read\"]");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = json(response);
        assertThat(error.get("error").asText()).isEqualTo("InvalidValue");
        assertThat(error.get("description").asText())
                .isEqualTo("Requested scopes are invalid. Invalid scopes: chat, tickts:read");
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
    }

    @Test
    void scopeGrammarKnowsReadOnlyAndWriteOnlyResources() throws Exception {
        zendesk.emulator().acceptInvalidScopes(false);
        for (String valid : List.of("read", "write", "impersonate", "auditlogs:read", "any_channel:write",
                "web_widget:write", "satisfaction_ratings:read", "dynamic_content:write", "hc:read", "security:read",
                "unrestricted:write", "ticket_attachments:read", "ticket_views:write")) {
            assertThat(mint(admin, CLIENT_ID, "[\"" + valid + "\"]").statusCode()).as(valid).isEqualTo(201);
        }
        for (String invalid : List.of("auditlogs:write", "any_channel:read", "web_widget:read", "security:write", "Tickets:read",
                "tickets", "tickets:delete", "impersonate:read", "")) {
            HttpResponse<String> response = mint(admin, CLIENT_ID, "[\"" + invalid + "\"]");
            assertThat(response.statusCode()).as(invalid).isEqualTo(422);
            assertThat(json(response).get("description").asText()).as(invalid).endsWith("Invalid scopes: " + invalid);
        }
    }

    @Test
    void blankScopesUnknownClientsAndBadBodiesAreRejected() throws Exception {
        assertThat(mint(admin, CLIENT_ID, "[]").statusCode()).isEqualTo(422);
        assertThat(send("POST", "/api/v2/oauth/tokens.json", admin, "{\"token\":{\"client_id\":" + CLIENT_ID + "}}")
                .statusCode()).isEqualTo(422);

        HttpResponse<String> unknownClient = mint(admin, 424242, "[\"read\"]");
        assertThat(unknownClient.statusCode()).isEqualTo(422);
        assertThat(json(unknownClient).at("/details/client/0/description").asText()).isEqualTo("Client is invalid");

        assertThat(send("POST", "/api/v2/oauth/tokens.json", admin, "not json").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v2/oauth/tokens.json", admin, "{}").statusCode()).isEqualTo(400);
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
    }

    @Test
    void clientsCanRestrictScopes() throws Exception {
        zendesk.emulator().client(7, "restricted", Set.of("tickets:read", "write"));

        assertThat(mint(admin, 7, "[\"tickets:read\",\"users:write\"]").statusCode()).isEqualTo(201);
        HttpResponse<String> refused = mint(admin, 7, "[\"tickets:read\",\"users:read\"]");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("error").asText()).isEqualTo("invalid_scope");
        assertThat(json(refused).get("error_description").asText()).endsWith("Disallowed scopes: users:read");
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
    }

    @Test
    void anInvalidScopeYieldsATokenThatGets403OnEveryUse() throws Exception {
        // Zendesk's default: it mints the token, and every request with it fails, whatever valid scopes it also has.
        String token = fullToken(mint(admin, CLIENT_ID, "[\"read\",\"write\",\"tickts:read\"]"));

        assertThat(send("GET", "/api/v2/tickets.json", bearer(token), null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v2/tickets.json", bearer(token), "{}").statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v2/users/me.json", bearer(token), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v2/oauth/tokens.json", bearer(token), null).statusCode()).isEqualTo(403);
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
        zendesk.emulator().issuedTokens().forEach(t -> zendesk.emulator().revokeExternally(t.id()));
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void authenticationFailures() throws Exception {
        HttpResponse<String> wrongToken = mint(apiTokenAuth(ADMIN_EMAIL, "wrong"), CLIENT_ID, "[\"read\"]");
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.body()).isEqualTo("{\"error\":\"Couldn't authenticate you\"}");
        assertThat(mint(null, CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(401);
        assertThat(mint("Basic %%%", CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(401);

        zendesk.emulator().agent(2, "agent@example.com", "agent-token");
        HttpResponse<String> agent = mint(apiTokenAuth("agent@example.com", "agent-token"), CLIENT_ID, "[\"read\"]");
        assertThat(agent.statusCode()).isEqualTo(403);
        assertThat(json(agent).get("description").asText()).startsWith("You do not have access to this page.");
        assertThat(send("GET", "/api/v2/oauth/clients.json", apiTokenAuth("agent@example.com", "agent-token"), null)
                .statusCode()).isEqualTo(403);
        JsonNode agentMe = json(send("GET", "/api/v2/users/me.json", apiTokenAuth("agent@example.com", "agent-token"), null));
        assertThat(agentMe.at("/user/role").asText()).isEqualTo("agent");

        zendesk.emulator().apiTokenAccessEnabled(false);
        assertThat(mint(admin, CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(401);
        zendesk.emulator().apiTokenAccessEnabled(true);
        assertThat(mint(apiTokenAuth("ADMIN@example.com", ADMIN_API_TOKEN), CLIENT_ID, "[\"read\"]").statusCode())
                .isEqualTo(201);
    }

    @Test
    void passwordAndBearerAdmins() throws Exception {
        zendesk.emulator().adminWithPassword(3, "owner@example.com", "s3cret:with-colon")
                .adminBearer(4, "oauth-admin@example.com", "pre-existing-admin-token");
        String password = basic("owner@example.com:s3cret:with-colon");

        JsonNode byPassword = json(mint(password, CLIENT_ID, "[\"read\"]")).get("token");
        assertThat(byPassword.get("user_id").asLong()).isEqualTo(3);
        JsonNode byBearer = json(mint(bearer("pre-existing-admin-token"), CLIENT_ID, "[\"read\"]")).get("token");
        assertThat(byBearer.get("user_id").asLong()).isEqualTo(4);
        assertThat(zendesk.emulator().liveTokenCount()).as("the admin bearer token itself is not counted").isEqualTo(2);

        String minted = byBearer.get("full_token").asText();
        assertThat(mint(bearer(minted), CLIENT_ID, "[\"read\"]").statusCode())
                .as("a minted token without the write scope cannot mint").isEqualTo(403);
        assertThat(mint(bearer("unknown"), CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(401);

        zendesk.emulator().passwordAccessEnabled(false);
        assertThat(mint(password, CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(401);
    }

    @Test
    void usersMeAnswersAnonymousUserWithoutValidCredentials() throws Exception {
        for (String auth : new String[] {null, apiTokenAuth(ADMIN_EMAIL, "wrong")}) {
            HttpResponse<String> response = send("GET", "/api/v2/users/me.json", auth, null);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode user = json(response).get("user");
            assertThat(user.get("id").isNull()).isTrue();
            assertThat(user.get("name").asText()).isEqualTo("Anonymous user");
        }
        JsonNode me = json(send("GET", "/api/v2/users/me.json", admin, null)).get("user");
        assertThat(me.get("id").asLong()).isEqualTo(ADMIN_ID);
        assertThat(me.get("email").asText()).isEqualTo(ADMIN_EMAIL);
        assertThat(me.get("role").asText()).isEqualTo("admin");
    }

    @Test
    void unknownEndpointsAre404Json() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v2/nothing.json", admin, null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(json(response).get("error").asText()).isEqualTo("InvalidEndpoint");
        assertThat(send("PUT", "/api/v2/oauth/tokens.json", admin, "{}").statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- listing & pagination

    @Test
    void listTokensFiltersByClientAndUserWithOffsetPagination() throws Exception {
        zendesk.emulator().client(8, "other").adminWithPassword(5, "other-admin@example.com", "pw");
        for (int i = 0; i < 5; i++) {
            mint(admin, CLIENT_ID, "[\"read\"]");
        }
        mint(admin, 8, "[\"read\"]");
        mint(basic("other-admin@example.com:pw"), CLIENT_ID, "[\"read\"]");
        zendesk.emulator().revokeExternally(9000);

        JsonNode first = json(send("GET", "/api/v2/oauth/tokens.json?client_id=" + CLIENT_ID + "&per_page=3", admin, null));
        assertThat(first.get("count").asInt()).isEqualTo(4);
        assertThat(first.get("tokens")).hasSize(3);
        assertThat(first.get("tokens").get(0).has("full_token")).isFalse();
        assertThat(first.get("tokens").get(0).get("token").asText()).hasSize(10);
        assertThat(first.get("previous_page").isNull()).isTrue();
        String next = first.get("next_page").asText();
        assertThat(next).startsWith(zendesk.emulator().baseUrl() + "/api/v2/oauth/tokens.json?")
                .contains("client_id=" + CLIENT_ID, "per_page=3", "page=2");

        JsonNode second = json(sendUrl("GET", next, admin));
        assertThat(second.get("tokens")).hasSize(1);
        assertThat(second.get("next_page").isNull()).isTrue();
        assertThat(second.get("previous_page").asText()).contains("page=1");

        JsonNode all = json(send("GET", "/api/v2/oauth/tokens.json?client_id=" + CLIENT_ID + "&all=true", admin, null));
        assertThat(all.get("count").asInt()).isEqualTo(5);
        JsonNode everything = json(send("GET", "/api/v2/oauth/tokens.json?all=true", admin, null));
        assertThat(everything.get("count").asInt()).isEqualTo(6);
    }

    @Test
    void clientsCursorPaginationOver250Clients() throws Exception {
        addClients(250);

        List<Long> ids = new ArrayList<>();
        String url = zendesk.emulator().baseUrl() + "/api/v2/oauth/clients.json?page%5Bsize%5D=100";
        int pages = 0;
        while (url != null) {
            JsonNode page = json(sendUrl("GET", url, admin));
            page.get("clients").forEach(c -> ids.add(c.get("id").asLong()));
            pages++;
            boolean hasMore = page.at("/meta/has_more").asBoolean();
            JsonNode next = page.at("/links/next");
            assertThat(next.isNull()).isEqualTo(!hasMore);
            url = hasMore ? next.asText() : null;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(251).doesNotHaveDuplicates().isSorted();
        assertThat(zendesk.emulator().requestCount("GET", "/api/v2/oauth/clients")).isEqualTo(3);
    }

    @Test
    void clientsCursorPaginationDetails() throws Exception {
        addClients(250);

        JsonNode first = json(send("GET", "/api/v2/oauth/clients.json", admin, null));
        assertThat(first.get("clients")).hasSize(100);
        assertThat(first.at("/links/prev").isNull()).isTrue();
        JsonNode client = first.get("clients").get(0);
        assertThat(client.get("identifier").asText()).isEqualTo("client-1");
        assertThat(client.get("kind").asText()).isEqualTo("public");
        assertThat(client.get("user_id").asLong()).isEqualTo(ADMIN_ID);
        assertThat(client.get("redirect_uri").isArray()).isTrue();

        String after = first.at("/meta/after_cursor").asText();
        JsonNode second = json(send("GET", "/api/v2/oauth/clients.json?page%5Bsize%5D=10&page%5Bafter%5D=" + after, admin, null));
        assertThat(second.get("clients")).hasSize(10);
        assertThat(second.at("/links/prev").asText()).contains("page%5Bbefore%5D=");
        String before = second.at("/meta/before_cursor").asText();
        JsonNode back = json(send("GET", "/api/v2/oauth/clients.json?page%5Bsize%5D=5&page%5Bbefore%5D=" + before, admin, null));
        assertThat(back.get("clients")).hasSize(5);
        assertThat(back.get("clients").get(4).get("id").asLong()).isEqualTo(first.get("clients").get(99).get("id").asLong());

        assertThat(send("GET", "/api/v2/oauth/clients.json?page%5Bsize%5D=101", admin, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v2/oauth/clients.json?page%5Bafter%5D=garbage", admin, null).statusCode()).isEqualTo(400);
    }

    @Test
    void clientsOffsetPaginationOver250Clients() throws Exception {
        addClients(250);
        zendesk.emulator().clientsPagination(Pagination.OFFSET);

        List<Long> ids = new ArrayList<>();
        String url = zendesk.emulator().baseUrl() + "/api/v2/oauth/clients.json";
        int pages = 0;
        while (url != null) {
            JsonNode page = json(sendUrl("GET", url, admin));
            assertThat(page.get("count").asInt()).isEqualTo(251);
            assertThat(page.has("meta")).isFalse();
            page.get("clients").forEach(c -> ids.add(c.get("id").asLong()));
            pages++;
            url = page.get("next_page").isNull() ? null : page.get("next_page").asText();
        }

        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(251).doesNotHaveDuplicates().isSorted();
    }

    // ---------------------------------------------------------------- faults

    @Test
    void statusRateLimitAndHtmlFaultsReplaceTheAnswerWithoutProcessing() throws Exception {
        FaultPlan plan = zendesk.emulator().failNext("POST", "/api/v2/oauth/tokens", 2, Fault.status(503, "{\"error\":\"Down\"}"));
        zendesk.emulator().failNext("post", "/api/v2/oauth/tokens", 1, Fault.rateLimited(7));
        zendesk.emulator().failNext("POST", "/api/v2/oauth/tokens", 1, Fault.html(502));
        zendesk.emulator().failNext("GET", "/api/v2/oauth/clients", 1, Fault.status(500));

        HttpResponse<String> first = mint(admin, CLIENT_ID, "[\"read\"]");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("{\"error\":\"Down\"}");
        assertThat(plan.remaining()).isEqualTo(1);
        assertThat(mint(admin, CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(503);
        assertThat(plan.remaining()).isZero();

        HttpResponse<String> limited = mint(admin, CLIENT_ID, "[\"read\"]");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(json(limited).get("error").asText()).isEqualTo("TooManyRequests");

        HttpResponse<String> html = mint(admin, CLIENT_ID, "[\"read\"]");
        assertThat(html.statusCode()).isEqualTo(502);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(html.body()).contains("<h1>502 Bad Gateway</h1>");

        HttpResponse<String> clients = send("GET", "/api/v2/oauth/clients.json", admin, null);
        assertThat(clients.statusCode()).isEqualTo(500);
        assertThat(json(clients).get("error").asText()).isEqualTo("InternalServerError");

        assertThat(zendesk.emulator().issuedTokens()).as("faulted requests are not processed").isEmpty();
        assertThat(mint(admin, CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(201);
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).isEqualTo(5);
    }

    @Test
    void faultsOnlyHitMatchingRequests() throws Exception {
        FaultPlan plan = zendesk.emulator().failNext("DELETE", "/api/v2/oauth/tokens", 1, Fault.status(500));

        assertThat(mint(admin, CLIENT_ID, "[\"read\"]").statusCode()).isEqualTo(201);
        assertThat(send("GET", "/api/v2/oauth/clients.json", admin, null).statusCode()).isEqualTo(200);
        assertThat(plan.remaining()).isEqualTo(1);
        plan.cancel();
        assertThat(send("DELETE", "/api/v2/oauth/tokens/9000.json", admin, null).statusCode()).isEqualTo(204);
    }

    @Test
    void connectionResetDropsTheRequestUnprocessed() {
        FaultPlan plan = zendesk.emulator().failNext("POST", "/api/v2/oauth/tokens", 1, Fault.connectionReset());

        assertThatThrownBy(() -> mint(admin, CLIENT_ID, "[\"read\"]")).isInstanceOf(IOException.class);

        assertThat(plan.remaining()).isZero();
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
    }

    @Test
    void connectionResetOnGetNeedsTwoUsesBecauseJavaHttpClientRetriesGetOnce() {
        zendesk.emulator().failNext("GET", "/api/v2/oauth/clients", 2, Fault.connectionReset());

        assertThatThrownBy(() -> send("GET", "/api/v2/oauth/clients.json", admin, null)).isInstanceOf(IOException.class);
    }

    @Test
    void processThenResetMintsTheTokenButLosesTheAnswer() {
        zendesk.emulator().failNext("POST", "/api/v2/oauth/tokens", 1, Fault.processThenReset());

        assertThatThrownBy(() -> mint(admin, CLIENT_ID, "[\"read\"]")).isInstanceOf(IOException.class);

        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
        assertThat(zendesk.emulator().issuedTokens().get(0).scopes()).containsExactly("read");
    }

    @Test
    void processThenStatusRevokesButAnswers500() throws Exception {
        long id = json(mint(admin, CLIENT_ID, "[\"read\"]")).at("/token/id").asLong();
        zendesk.emulator().failNext("DELETE", "/api/v2/oauth/tokens/", 1, Fault.processThenStatus(500));

        HttpResponse<String> response = send("DELETE", "/api/v2/oauth/tokens/" + id + ".json", admin, null);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("error").asText()).isEqualTo("InternalServerError");
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        assertThat(send("DELETE", "/api/v2/oauth/tokens/" + id + ".json", admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void delayProcessesAtOnceAndAnswersLate() throws Exception {
        zendesk.emulator().failNext("POST", "/api/v2/oauth/tokens", 1, Fault.delay(Duration.ofSeconds(30)));
        HttpRequest request = request("POST", zendesk.emulator().baseUrl() + "/api/v2/oauth/tokens.json", admin, mintBody(CLIENT_ID, "[\"read\"]"))
                .timeout(Duration.ofMillis(500)).build();

        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(zendesk.emulator().liveTokenCount()).as("the mint happened although the client timed out").isEqualTo(1);

        zendesk.emulator().failNext("GET", "/api/v2/users/me", 1, Fault.delay(Duration.ofMillis(300)));
        long start = System.nanoTime();
        assertThat(send("GET", "/api/v2/users/me.json", admin, null).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    // ---------------------------------------------------------------- concurrency & counters

    @Test
    void concurrentMintAndRevokeLeavesNoLiveToken() throws Exception {
        int threads = 16;
        int rounds = 50;
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        HttpResponse<String> minted = mint(admin, CLIENT_ID, "[\"tickets:read\"]");
                        assertThat(minted.statusCode()).isEqualTo(201);
                        long id = json(minted).at("/token/id").asLong();
                        assertThat(ids.add(id)).isTrue();
                        assertThat(send("DELETE", "/api/v2/oauth/tokens/" + id + ".json", admin, null).statusCode())
                                .isEqualTo(204);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(ids).hasSize(threads * rounds);
        assertThat(zendesk.emulator().issuedTokens()).hasSize(threads * rounds).allMatch(IssuedToken::revoked);
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).isEqualTo(threads * rounds);
        assertThat(zendesk.emulator().requestCount("DELETE", "/api/v2/oauth/tokens/")).isEqualTo(threads * rounds);
        assertThat(zendesk.emulator().requestCount(null, "/api/v2/oauth/tokens")).isEqualTo(2 * threads * rounds);
        assertThat(zendesk.emulator().maxConcurrentRequests()).isBetween(1, threads);
    }

    @Test
    void latencyIsAddedAndConcurrencyPeakMeasured() throws Exception {
        zendesk.emulator().latency(Duration.ofMillis(400));
        int parallel = 8;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                futures.add(pool.submit(() -> send("GET", "/api/v2/users/me.json", admin, null).statusCode()));
            }
            for (Future<Integer> future : futures) {
                assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofMillis(400L * parallel));
        assertThat(zendesk.emulator().maxConcurrentRequests()).isGreaterThan(1).isLessThanOrEqualTo(parallel);
        assertThat(zendesk.emulator().requestCount("GET", "/api/v2/users/me")).isEqualTo(parallel);

        zendesk.emulator().resetCounters();
        assertThat(zendesk.emulator().requestCount("GET", "")).isZero();
        assertThat(zendesk.emulator().maxConcurrentRequests()).isZero();
    }

    @Test
    void closeIsIdempotentAndStopsServing() throws Exception {
        String url = zendesk.emulator().baseUrl();
        assertThat(url).isEqualTo("http://localhost:" + zendesk.emulator().port());

        zendesk.emulator().close();
        zendesk.emulator().close();

        assertThatThrownBy(() -> sendUrl("GET", url + "/api/v2/users/me.json", null)).isInstanceOf(IOException.class);
    }

    // ---------------------------------------------------------------- helpers

    private void addClients(int count) {
        for (int i = 1; i <= count; i++) {
            zendesk.emulator().client(i, "client-" + i);
        }
    }

    private HttpResponse<String> mint(String auth, long clientId, String scopesJson) throws IOException, InterruptedException {
        return send("POST", "/api/v2/oauth/tokens.json", auth, mintBody(clientId, scopesJson));
    }

    private static String mintBody(long clientId, String scopesJson) {
        return "{\"token\":{\"client_id\":" + clientId + ",\"scopes\":" + scopesJson + "}}";
    }

    private HttpResponse<String> send(String method, String path, String auth, String body)
            throws IOException, InterruptedException {
        return http.send(request(method, zendesk.emulator().baseUrl() + path, auth, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendUrl(String method, String url, String auth) throws IOException, InterruptedException {
        return http.send(request(method, url, auth, null).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String method, String url, String auth, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (auth != null) {
            builder.header("Authorization", auth);
        }
        return builder;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String fullToken(HttpResponse<String> minted) throws IOException {
        assertThat(minted.statusCode()).isEqualTo(201);
        return json(minted).at("/token/full_token").asText();
    }

    private static String apiTokenAuth(String email, String apiToken) {
        return basic(email + "/token:" + apiToken);
    }

    private static String basic(String userAndSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndSecret.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

}
