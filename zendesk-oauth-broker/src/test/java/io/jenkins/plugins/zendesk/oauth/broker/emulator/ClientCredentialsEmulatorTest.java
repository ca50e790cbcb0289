package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client credentials grant ({@code POST /oauth/tokens}), token expiry and the emulator clock (issue 7). */
class ClientCredentialsEmulatorTest {

    private static final long ADMIN_ID = 1;
    private static final String ADMIN_EMAIL = "admin@example.com";
    private static final String ADMIN_API_TOKEN = "admin-api-token";
    /** The admin owning the confidential client: a different user from the API-token admin, to tell them apart. */
    private static final long ROBOT_ID = 2;
    private static final long AGENT_ID = 3;
    private static final long LEGACY_CLIENT_ID = 50328;
    private static final long CLIENT_ID = 60001;
    private static final String IDENTIFIER = "jenkins_robot";
    /** Has characters that must be form-encoded. */
    private static final String SECRET = "s3cret+/=&ü-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(() -> ZendeskEmulator.start()
                .admin(ADMIN_ID, ADMIN_EMAIL, ADMIN_API_TOKEN)
                .admin(ROBOT_ID, "robot@example.com", "robot-api-token")
                .client(LEGACY_CLIENT_ID, "legacy")
                .confidentialClient(CLIENT_ID, IDENTIFIER, SECRET, ROBOT_ID, null));
    private String admin;

    @BeforeEach
    void startZendesk() {
        admin = basic(ADMIN_EMAIL + "/token:" + ADMIN_API_TOKEN);
    }

    // ---------------------------------------------------------------- success

    @Test
    void grantMintsAnExpiringTokenActingAsTheOwnerAdmin() throws Exception {
        HttpResponse<String> granted = grant(grantJson(IDENTIFIER, SECRET, "read write", "900"));

        assertThat(granted.statusCode()).isEqualTo(201);
        assertThat(granted.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(granted.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = json(granted);
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("access_token", "token_type", "scope", "expires_in");
        String accessToken = body.get("access_token").asText();
        assertThat(accessToken).matches("[0-9a-f]{64}");
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("scope").asText()).isEqualTo("read write");
        assertThat(body.get("expires_in").asLong()).isEqualTo(900);
        assertThat(granted.body()).doesNotContain(SECRET);

        assertThat(zendesk.emulator().issuedTokens()).singleElement().satisfies(t -> {
            assertThat(t.fullToken()).isEqualTo(accessToken);
            assertThat(t.clientId()).isEqualTo(CLIENT_ID);
            assertThat(t.userId()).isEqualTo(ROBOT_ID);
            assertThat(t.scopes()).containsExactly("read", "write");
            assertThat(Duration.between(t.createdAt(), t.expiresAt())).isEqualTo(Duration.ofSeconds(900));
            assertThat(t.live()).isTrue();
        });
        long grantedId = zendesk.emulator().issuedTokens().get(0).id();
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
        assertThat(zendesk.emulator().usableTokenCount()).isEqualTo(1);
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        assertThat(zendesk.emulator().requestCount("POST", "/oauth/tokens")).isEqualTo(1);
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).isZero();

        String robot = bearer(accessToken);
        JsonNode me = json(send("GET", "/api/v2/users/me.json", robot, null)).get("user");
        assertThat(me.get("id").asLong()).isEqualTo(ROBOT_ID);
        assertThat(me.get("role").asText()).isEqualTo("admin");
        assertThat(send("GET", "/api/v2/oauth/clients.json", robot, null).statusCode()).isEqualTo(200);

        HttpResponse<String> created = send("POST", "/api/v2/oauth/tokens.json", robot, createBody(LEGACY_CLIENT_ID, "tickets:read"));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode block = json(created).get("token");
        assertThat(block.get("user_id").asLong()).as("Create Token acts as the owner").isEqualTo(ROBOT_ID);
        assertThat(block.get("client_id").asLong()).isEqualTo(LEGACY_CLIENT_ID);
        long blockId = block.get("id").asLong();

        JsonNode listed = json(send("GET", "/api/v2/oauth/tokens.json", robot, null));
        assertThat(listed.get("tokens")).extracting(t -> t.get("id").asLong()).containsExactly(grantedId, blockId);
        assertThat(listed.get("tokens").get(0).get("token").asText()).isEqualTo(accessToken.substring(0, 10));
        assertThat(listed.get("tokens").get(0).has("full_token")).isFalse();

        assertThat(send("DELETE", "/api/v2/oauth/tokens/" + blockId + ".json", robot, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/api/v2/oauth/tokens/" + grantedId + ".json", robot, null).statusCode())
                .as("a client credentials token may revoke itself by id").isEqualTo(204);
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        HttpResponse<String> afterRevoke = send("GET", "/api/v2/users/me.json", robot, null);
        assertThat(afterRevoke.statusCode()).isEqualTo(401);
        assertThat(json(afterRevoke).get("error").asText()).isEqualTo("invalid_token");
    }

    @Test
    void pathWithJsonSuffixAndFormEncodedBodyAreAccepted() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + IDENTIFIER + "&client_secret="
                + URLEncoder.encode(SECRET, StandardCharsets.UTF_8) + "&scope=read+tickets%3Awrite&expires_in=600";

        HttpResponse<String> granted = send("POST", "/oauth/tokens.json", null, form, "application/x-www-form-urlencoded");

        assertThat(granted.statusCode()).isEqualTo(201);
        assertThat(json(granted).get("scope").asText()).isEqualTo("read tickets:write");
        assertThat(json(granted).get("expires_in").asLong()).isEqualTo(600);
        assertThat(zendesk.emulator().issuedTokens()).singleElement()
                .satisfies(t -> assertThat(t.scopes()).containsExactly("read", "tickets:write"));
        revokeAllAndAssertNoneLive();
    }

    @Test
    void basicClientAuthenticationIsTolerated() throws Exception {
        HttpResponse<String> granted = send("POST", "/oauth/tokens", basic(IDENTIFIER + ":" + SECRET),
                "{\"grant_type\":\"client_credentials\",\"scope\":\"read\"}", "application/json");

        assertThat(granted.statusCode()).isEqualTo(201);
        assertThat(zendesk.emulator().issuedTokens()).singleElement().satisfies(t -> assertThat(t.userId()).isEqualTo(ROBOT_ID));
        revokeAllAndAssertNoneLive();
    }

    // ---------------------------------------------------------------- client authentication

    @Test
    void wrongSecretUnknownIdentifierOrNumericIdAreInvalidClient() throws Exception {
        List<String> bodies = List.of(
                grantJson(IDENTIFIER, "wrong", "read", null),
                grantJson(IDENTIFIER, SECRET.substring(1), "read", null),
                grantJson("nobody", SECRET, "read", null),
                grantJson(Long.toString(CLIENT_ID), SECRET, "read", null),
                "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + IDENTIFIER + "\",\"scope\":\"read\"}",
                "{\"grant_type\":\"client_credentials\",\"scope\":\"read\"}");
        for (String body : bodies) {
            HttpResponse<String> refused = grant(body);
            assertThat(refused.statusCode()).as(body).isEqualTo(401);
            assertThat(json(refused).get("error").asText()).as(body).isEqualTo("invalid_client");
            assertThat(json(refused).get("error_description").asText()).as(body).isNotBlank();
            assertThat(refused.body()).doesNotContain(SECRET);
        }
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
        assertThat(zendesk.emulator().clientCredentialsGrants()).isZero();
        assertThat(zendesk.emulator().requestCount("POST", "/oauth/tokens")).isEqualTo(bodies.size());
    }

    @Test
    void publicAndLegacyClientsMayNotUseTheGrant() throws Exception {
        zendesk.emulator().publicClient(60002, "browser_app", ROBOT_ID);

        for (String identifier : List.of("browser_app", "legacy")) {
            HttpResponse<String> refused = grant(grantJson(identifier, SECRET, "read", null));
            assertThat(refused.statusCode()).as(identifier).isEqualTo(400);
            assertThat(json(refused).get("error").asText()).as(identifier).isEqualTo("unauthorized_client");
        }
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();

        // Create Token still works for a public client; its tokens live Zendesk's default lifetime
        HttpResponse<String> created = send("POST", "/api/v2/oauth/tokens.json", admin, createBody(60002, "read"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(Instant.parse(json(created).at("/token/expires_at").asText()))
                .isEqualTo(Instant.parse(json(created).at("/token/created_at").asText()).plus(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME));
        revokeAllAndAssertNoneLive();
    }

    @Test
    void grantTypeAndBodyErrors() throws Exception {
        assertOAuthError(grant("{\"client_id\":\"" + IDENTIFIER + "\",\"client_secret\":\"x\",\"scope\":\"read\"}"),
                400, "invalid_request");
        assertOAuthError(grant("{\"grant_type\":\"\",\"client_id\":\"" + IDENTIFIER + "\"}"), 400, "invalid_request");
        assertOAuthError(grant("{\"grant_type\":\"password\",\"client_id\":\"" + IDENTIFIER + "\"}"),
                400, "unsupported_grant_type");
        assertOAuthError(grant("{\"grant_type\":\"authorization_code\"}"), 400, "unsupported_grant_type");
        assertOAuthError(grant("not json"), 400, "invalid_request");
        assertOAuthError(grant("[1,2]"), 400, "invalid_request");
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
    }

    // ---------------------------------------------------------------- lifetime

    @Test
    void expiresInMustBeMoreThan300AndLessThan172800Seconds() throws Exception {
        for (String refused : List.of("300", "172800", "0", "-1", "\"abc\"", "900.5", "1000000000000")) {
            assertOAuthError(grant(grantJson(IDENTIFIER, SECRET, "read", refused)), 400, "invalid_request");
        }
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();

        for (String accepted : List.of("301", "172799", "\"600\"")) {
            HttpResponse<String> granted = grant(grantJson(IDENTIFIER, SECRET, "read", accepted));
            assertThat(granted.statusCode()).as(accepted).isEqualTo(201);
            long seconds = Long.parseLong(accepted.replace("\"", ""));
            assertThat(json(granted).get("expires_in").asLong()).isEqualTo(seconds);
            IssuedToken token = zendesk.emulator().issuedTokens().get(zendesk.emulator().issuedTokens().size() - 1);
            assertThat(Duration.between(token.createdAt(), token.expiresAt())).isEqualTo(Duration.ofSeconds(seconds));
        }
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(3);
        revokeAllAndAssertNoneLive();
    }

    @Test
    void withoutExpiresInTheClientLifetimeOrElseTheDefaultApplies() throws Exception {
        zendesk.emulator().confidentialClient(60003, "lifetime_client", SECRET, ROBOT_ID, Duration.ofMinutes(45));

        assertThat(json(grant(grantJson(IDENTIFIER, SECRET, "read", null))).get("expires_in").asLong())
                .as("Zendesk's default for new clients").isEqualTo(1800);
        assertThat(json(grant(grantJson("lifetime_client", SECRET, "read", null))).get("expires_in").asLong())
                .isEqualTo(2700);
        assertThat(json(grant(grantJson("lifetime_client", SECRET, "read", "400"))).get("expires_in").asLong())
                .as("expires_in wins over the client's lifetime").isEqualTo(400);
        zendesk.emulator().defaultGrantLifetime(Duration.ofMinutes(10));
        assertThat(json(grant(grantJson(IDENTIFIER, SECRET, "read", null))).get("expires_in").asLong()).isEqualTo(600);

        assertThat(zendesk.emulator().issuedTokens()).extracting(t -> Duration.between(t.createdAt(), t.expiresAt()).toSeconds())
                .containsExactly(1800L, 2700L, 400L, 600L);
        revokeAllAndAssertNoneLive();
    }

    // ---------------------------------------------------------------- scopes

    @Test
    void scopesMustBeValidAllowedAndNotBlank() throws Exception {
        zendesk.emulator().confidentialClient(60004, "restricted", SECRET, ROBOT_ID, null, Set.of("read", "tickets:write"));

        assertThat(grant(grantJson("restricted", SECRET, "tickets:read users:read tickets:write", null)).statusCode())
                .as("read covers resource reads").isEqualTo(201);
        HttpResponse<String> disallowed = grant(grantJson("restricted", SECRET, "read write", null));
        assertOAuthError(disallowed, 400, "invalid_scope");
        assertThat(json(disallowed).get("error_description").asText()).endsWith("Disallowed scopes: write");

        HttpResponse<String> invalid = grant(grantJson(IDENTIFIER, SECRET, "read chat tickts:read", null));
        assertOAuthError(invalid, 400, "invalid_scope");
        assertThat(json(invalid).get("error_description").asText()).endsWith("Invalid scopes: chat, tickts:read");
        assertOAuthError(grant(grantJson(IDENTIFIER, SECRET, "   ", null)), 400, "invalid_scope");
        assertOAuthError(grant(grantJson(IDENTIFIER, SECRET, null, null)), 400, "invalid_scope");
        assertOAuthError(grant("{\"grant_type\":\"client_credentials\",\"client_id\":\"" + IDENTIFIER
                + "\",\"client_secret\":" + JSON.writeValueAsString(SECRET) + ",\"scope\":[\"read\",\"write\"]}"),
                400, "invalid_scope");

        assertThat(zendesk.emulator().issuedTokens()).hasSize(1);
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        revokeAllAndAssertNoneLive();
    }

    @Test
    void blockTokensAndNonAdminTokensAreForbiddenOnAdminEndpoints() throws Exception {
        String block = bearer(json(send("POST", "/api/v2/oauth/tokens.json", admin, createBody(LEGACY_CLIENT_ID, "tickets:read")))
                .at("/token/full_token").asText());
        String readOnly = bearer(json(grant(grantJson(IDENTIFIER, SECRET, "read", null))).get("access_token").asText());
        long blockId = zendesk.emulator().issuedTokens().get(0).id();

        for (String[] call : new String[][] {{"POST", "/api/v2/oauth/tokens.json"}, {"GET", "/api/v2/oauth/tokens.json"},
                {"GET", "/api/v2/oauth/tokens/" + blockId + ".json"}, {"DELETE", "/api/v2/oauth/tokens/" + blockId + ".json"},
                {"GET", "/api/v2/oauth/clients.json"}, {"GET", "/api/v2/oauth/clients/" + CLIENT_ID + ".json"}}) {
            String body = call[0].equals("POST") ? createBody(LEGACY_CLIENT_ID, "read") : null;
            HttpResponse<String> refused = send(call[0], call[1], block, body);
            assertThat(refused.statusCode()).as("tickets:read on " + call[0] + " " + call[1]).isEqualTo(403);
            assertThat(json(refused).get("error").asText()).isEqualTo("Forbidden");
        }
        assertThat(send("GET", "/api/v2/tickets.json", block, null).statusCode()).isEqualTo(200);

        assertThat(send("GET", "/api/v2/oauth/tokens.json", readOnly, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v2/oauth/tokens.json", readOnly, createBody(LEGACY_CLIENT_ID, "read")).statusCode())
                .as("Create Token needs write").isEqualTo(403);
        assertThat(send("DELETE", "/api/v2/oauth/tokens/" + blockId + ".json", readOnly, null).statusCode())
                .as("revoking needs write").isEqualTo(403);

        zendesk.emulator().agent(AGENT_ID, "agent@example.com", "agent-token")
                .confidentialClient(60005, "agent_client", SECRET, AGENT_ID, null);
        String agent = bearer(json(grant(grantJson("agent_client", SECRET, "read write", null))).get("access_token").asText());
        assertThat(send("GET", "/api/v2/oauth/clients.json", agent, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v2/oauth/tokens.json", agent, createBody(LEGACY_CLIENT_ID, "read")).statusCode())
                .isEqualTo(403);
        assertThat(json(send("GET", "/api/v2/users/me.json", agent, null)).at("/user/role").asText()).isEqualTo("agent");

        assertThat(zendesk.emulator().issuedTokens()).hasSize(3);
        revokeAllAndAssertNoneLive();
    }

    // ---------------------------------------------------------------- current token

    @Test
    void currentTokenShowsTheCallersRecordWithoutTheSecret() throws Exception {
        String accessToken = json(grant(grantJson(IDENTIFIER, SECRET, "tickets:read", "900"))).get("access_token").asText();
        IssuedToken recorded = zendesk.emulator().issuedTokens().get(0);

        HttpResponse<String> current = send("GET", "/api/v2/oauth/tokens/current.json", bearer(accessToken), null);

        assertThat(current.statusCode()).as("no scope is needed").isEqualTo(200);
        JsonNode token = json(current).get("token");
        assertThat(token.get("id").asLong()).isEqualTo(recorded.id());
        assertThat(token.get("client_id").asLong()).isEqualTo(CLIENT_ID);
        assertThat(token.get("user_id").asLong()).isEqualTo(ROBOT_ID);
        assertThat(token.get("token").asText()).isEqualTo(accessToken.substring(0, 10));
        assertThat(token.get("scopes")).extracting(JsonNode::asText).containsExactly("tickets:read");
        assertThat(Instant.parse(token.get("created_at").asText())).isEqualTo(recorded.createdAt());
        assertThat(Instant.parse(token.get("expires_at").asText())).isEqualTo(recorded.createdAt().plusSeconds(900));
        assertThat(token.get("used_at").isNull()).isTrue();
        assertThat(token.get("url").asText()).endsWith("/api/v2/oauth/tokens/" + recorded.id() + ".json");
        assertThat(token.has("full_token")).isFalse();
        assertThat(current.body()).doesNotContain(accessToken);
        assertThat(send("GET", "/api/v2/oauth/tokens/current", bearer(accessToken), null).statusCode()).isEqualTo(200);

        assertOAuthError(send("GET", "/api/v2/oauth/tokens/current.json", bearer("0".repeat(64)), null), 401, "invalid_token");
        assertThat(send("GET", "/api/v2/oauth/tokens/current.json", admin, null).statusCode())
                .as("an API-token admin has no current token").isEqualTo(404);

        zendesk.emulator().advanceClock(Duration.ofSeconds(900));
        assertOAuthError(send("GET", "/api/v2/oauth/tokens/current.json", bearer(accessToken), null), 401, "invalid_token");
        revokeAllAndAssertNoneLive();
    }

    // ---------------------------------------------------------------- expiry and the clock

    @Test
    void grantTokensStopWorkingOnceTheClockPassesTheirExpiry() throws Exception {
        String robot = bearer(json(grant(grantJson(IDENTIFIER, SECRET, "read write", "600"))).get("access_token").asText());
        Instant before = zendesk.emulator().now();

        // 590 s, not 599 s: the recorded times are truncated to seconds, so leave room for the real clock
        zendesk.emulator().advanceClock(Duration.ofSeconds(590));
        assertThat(zendesk.emulator().now()).isAfterOrEqualTo(before.plusSeconds(590));
        assertThat(send("GET", "/api/v2/users/me.json", robot, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v2/oauth/clients.json", robot, null).statusCode()).isEqualTo(200);

        zendesk.emulator().advanceClock(Duration.ofSeconds(10));
        for (String[] call : new String[][] {{"GET", "/api/v2/users/me.json"}, {"GET", "/api/v2/oauth/clients.json"},
                {"GET", "/api/v2/oauth/tokens.json"}, {"POST", "/api/v2/oauth/tokens.json"}, {"GET", "/api/v2/tickets.json"},
                {"GET", "/api/v2/oauth/tokens/current.json"}, {"DELETE", "/api/v2/oauth/tokens/current.json"}}) {
            String body = call[0].equals("POST") ? createBody(LEGACY_CLIENT_ID, "read") : null;
            assertOAuthError(send(call[0], call[1], robot, body), 401, "invalid_token");
        }
        assertThat(zendesk.emulator().liveTokenCount()).as("an expired token exists until revoked").isEqualTo(1);
        assertThat(zendesk.emulator().usableTokenCount()).isZero();
        assertThat(zendesk.emulator().issuedTokens()).hasSize(1);
        revokeAllAndAssertNoneLive();
    }

    @Test
    void createTokenIgnoresExpiresAtAndUsesTheClientLifetime() throws Exception {
        zendesk.emulator().confidentialClient(60006, "expiring", SECRET, ROBOT_ID, Duration.ofHours(2));

        HttpResponse<String> created = send("POST", "/api/v2/oauth/tokens.json", admin,
                "{\"token\":{\"client_id\":60006,\"scopes\":[\"read\"],\"expires_at\":\"2099-01-01T00:00:00Z\"}}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode token = json(created).get("token");
        Instant createdAt = Instant.parse(token.get("created_at").asText());
        assertThat(Instant.parse(token.get("expires_at").asText())).isEqualTo(createdAt.plus(Duration.ofHours(2)));
        assertThat(zendesk.emulator().issuedTokens()).singleElement()
                .satisfies(t -> assertThat(t.expiresAt()).isEqualTo(createdAt.plus(Duration.ofHours(2))));
        String fullToken = bearer(token.get("full_token").asText());
        assertThat(send("GET", "/api/v2/tickets.json", fullToken, null).statusCode()).isEqualTo(200);

        zendesk.emulator().advanceClock(Duration.ofHours(2));
        assertOAuthError(send("GET", "/api/v2/tickets.json", fullToken, null), 401, "invalid_token");

        zendesk.emulator().tokensNeverExpire(LEGACY_CLIENT_ID); // a client created before 2026-04-30, until 2027-04-01
        JsonNode legacy = json(send("POST", "/api/v2/oauth/tokens.json", admin,
                "{\"token\":{\"client_id\":" + LEGACY_CLIENT_ID + ",\"scopes\":[\"read\"],\"expires_at\":\"2000-01-01T00:00:00Z\"}}"))
                .get("token");
        assertThat(legacy.get("expires_at").isNull()).as("tokens of a client set to never expire").isTrue();
        zendesk.emulator().advanceClock(Duration.ofDays(3650));
        assertThat(send("GET", "/api/v2/tickets.json", bearer(legacy.get("full_token").asText()), null).statusCode())
                .isEqualTo(200);
        assertThat(json(send("GET", "/api/v2/oauth/tokens/current.json", bearer(legacy.get("full_token").asText()), null))
                .at("/token/expires_at").isNull()).isTrue();
        revokeAllAndAssertNoneLive();
    }

    @Test
    void theClockOnlyMovesForwardAndDatesNewRecords() throws Exception {
        zendesk.emulator().advanceClock(Duration.ofDays(1));
        assertThat(zendesk.emulator().now()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> zendesk.emulator().advanceClock(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);

        grant(grantJson(IDENTIFIER, SECRET, "read", null));
        send("POST", "/api/v2/oauth/tokens.json", admin, createBody(LEGACY_CLIENT_ID, "read"));
        assertThat(zendesk.emulator().issuedTokens()).hasSize(2)
                .allSatisfy(t -> assertThat(t.createdAt()).isAfter(Instant.now().plus(Duration.ofHours(23))));
        revokeAllAndAssertNoneLive();
    }

    // ---------------------------------------------------------------- clients, secrets, faults, counters

    @Test
    void clientsListShowsKindsAndOwnersButNeverSecrets() throws Exception {
        zendesk.emulator().publicClient(60002, "browser_app", ROBOT_ID);

        HttpResponse<String> listed = send("GET", "/api/v2/oauth/clients.json", admin, null);

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(SECRET).doesNotContain("secret");
        JsonNode clients = json(listed).get("clients");
        assertThat(clients).extracting(c -> c.get("identifier").asText() + "/" + c.get("kind").asText() + "/"
                + c.get("user_id").asLong())
                .containsExactly("legacy/public/" + ADMIN_ID, IDENTIFIER + "/confidential/" + ROBOT_ID,
                        "browser_app/public/" + ROBOT_ID);
        assertThat(send("GET", "/api/v2/oauth/clients/" + CLIENT_ID + ".json", admin, null).body()).doesNotContain(SECRET);
        assertThat(zendesk.emulator().toString()).doesNotContain(SECRET);
    }

    @Test
    void faultsAndCountersApplyToTheGrant() throws Exception {
        FaultPlan plan = zendesk.emulator().failNext("POST", "/oauth/tokens", 1, Fault.status(503));

        assertThat(grant(grantJson(IDENTIFIER, SECRET, "read", null)).statusCode()).isEqualTo(503);
        assertThat(plan.remaining()).isZero();
        assertThat(zendesk.emulator().issuedTokens()).as("a faulted grant is not processed").isEmpty();
        zendesk.emulator().failNext("POST", "/oauth/tokens", 1, Fault.processThenStatus(500));
        assertThat(grant(grantJson(IDENTIFIER, SECRET, "read", null)).statusCode()).isEqualTo(500);
        assertThat(zendesk.emulator().liveTokenCount()).as("processed, answer lost").isEqualTo(1);
        assertThat(grant(grantJson(IDENTIFIER, SECRET, "read", null)).statusCode()).isEqualTo(201);

        assertThat(zendesk.emulator().requestCount("POST", "/oauth/tokens")).isEqualTo(3);
        assertThat(zendesk.emulator().requestCount(null, "/api/v2")).isZero();
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(2);
        zendesk.emulator().resetCounters();
        assertThat(zendesk.emulator().clientCredentialsGrants()).isZero();
        assertThat(zendesk.emulator().requestCount("POST", "/oauth/tokens")).isZero();
        revokeAllAndAssertNoneLive();
    }

    @Test
    void concurrentGrantsMintDistinctTokens() throws Exception {
        int threads = 8;
        int rounds = 20;
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        HttpResponse<String> granted = grant(grantJson(IDENTIFIER, SECRET, "read write", null));
                        assertThat(granted.statusCode()).isEqualTo(201);
                        assertThat(tokens.add(json(granted).get("access_token").asText())).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tokens).hasSize(threads * rounds);
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(threads * rounds);
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(threads * rounds);
        revokeAllAndAssertNoneLive();
    }

    // ---------------------------------------------------------------- helpers

    /** Revokes every live token over the API, with the API-token admin, and asserts none is left. */
    private void revokeAllAndAssertNoneLive() throws Exception {
        for (long id : zendesk.emulator().liveTokenIds()) {
            assertThat(send("DELETE", "/api/v2/oauth/tokens/" + id + ".json", admin, null).statusCode()).isEqualTo(204);
        }
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    private static String grantJson(String identifier, String secret, String scope, String expiresInJson)
            throws IOException {
        StringBuilder body = new StringBuilder("{\"grant_type\":\"client_credentials\",\"client_id\":")
                .append(JSON.writeValueAsString(identifier))
                .append(",\"client_secret\":").append(JSON.writeValueAsString(secret));
        if (scope != null) {
            body.append(",\"scope\":").append(JSON.writeValueAsString(scope));
        }
        if (expiresInJson != null) {
            body.append(",\"expires_in\":").append(expiresInJson);
        }
        return body.append('}').toString();
    }

    private static String createBody(long clientId, String scope) {
        return "{\"token\":{\"client_id\":" + clientId + ",\"scopes\":[\"" + scope + "\"]}}";
    }

    private HttpResponse<String> grant(String jsonBody) throws IOException, InterruptedException {
        return send("POST", "/oauth/tokens", null, jsonBody, "application/json");
    }

    private HttpResponse<String> send(String method, String path, String auth, String body)
            throws IOException, InterruptedException {
        return send(method, path, auth, body, "application/json");
    }

    private HttpResponse<String> send(String method, String path, String auth, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(zendesk.emulator().baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", contentType);
        }
        if (auth != null) {
            builder.header("Authorization", auth);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOAuthError(HttpResponse<String> response, int status, String error) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String basic(String userAndSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndSecret.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
