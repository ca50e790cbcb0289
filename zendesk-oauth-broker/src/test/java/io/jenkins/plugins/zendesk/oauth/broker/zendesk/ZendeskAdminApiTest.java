package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.ADMIN_EMAIL;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.ADMIN_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.AGENT_API_TOKEN;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.AGENT_EMAIL;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.LIMITED_CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException.Reason;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin endpoints against the emulator: happy paths and every error mapping. */
class ZendeskAdminApiTest {
    private static final String ADMIN_BEARER = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    /** A client created before 2026-04-30: its tokens do not expire (until 2027-04-01). */
    private static final long NEVER_EXPIRING_CLIENT_ID = 50340;

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(
            () -> EmulatedZendesk.startEmulator().adminBearer(7011, "bearer-admin@example.com", ADMIN_BEARER));
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final ZendeskTransport transport = EmulatedZendesk.transport(POLICY, sleeper);
    private EmulatedZendesk env;
    private ZendeskAdminApi api;

    @BeforeEach
    void wire() {
        env = new EmulatedZendesk(zendesk.emulator());
        api = env.api(transport);
    }

    private static ScopeSet scopes(String text) {
        return ScopeSet.parse(text, "scopes");
    }

    private IssuedToken issued(long id) {
        return env.zendesk.token(id).orElseThrow();
    }

    // ---------------------------------------------------------------- mint and revoke

    @Test
    void mintReturnsIdValueScopesAndCreationTime() {
        MintedToken token = api.mint(CLIENT_ID, scopes("users:read tickets:read"));

        IssuedToken atZendesk = issued(token.id());
        assertThat(token.value().reveal()).isEqualTo(atZendesk.fullToken());
        assertThat(token.clientId()).isEqualTo(CLIENT_ID);
        assertThat(token.userId()).isEqualTo(ADMIN_ID);
        assertThat(token.scopes().asStrings()).containsExactly("tickets:read", "users:read");
        assertThat(atZendesk.scopes()).containsExactlyInAnyOrder("tickets:read", "users:read");
        assertThat(token.createdAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        // Zendesk's default for clients without a lifetime of their own (emulator: 30 minutes).
        assertThat(token.expiresAt()).contains(token.createdAt().plus(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME));
        assertThat(token.expiresAt()).contains(atZendesk.expiresAt());
        assertThat(token.toString()).doesNotContain(atZendesk.fullToken());

        assertThat(api.revoke(token.id())).isTrue();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void mintedTokenWorksAsBearerUntilRevoked() throws Exception {
        MintedToken token = api.mint(CLIENT_ID, scopes("tickets:read"));

        assertThat(getTickets(token)).isEqualTo(200);
        api.revoke(token.id());
        assertThat(getTickets(token)).isEqualTo(401);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    private int getTickets(MintedToken token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(env.zendesk.baseUrl() + "/api/v2/tickets.json"))
                .header("Authorization", "Bearer " + token.value().reveal()).GET().build();
        return EmulatedZendesk.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aClientWhoseTokensNeverExpireMintsTokensWithoutExpiry() {
        env.zendesk.client(NEVER_EXPIRING_CLIENT_ID, "jenkins_before_2026_04_30").tokensNeverExpire(NEVER_EXPIRING_CLIENT_ID);
        MintedToken token = api.mint(NEVER_EXPIRING_CLIENT_ID, scopes("read"));

        assertThat(issued(token.id()).expiresAt()).isNull();
        assertThat(token.expiresAt()).isEmpty();
        api.revoke(token.id());
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void mintRefusesEmptyScopesWithoutCallingZendesk() {
        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("")))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"));
        assertThat(env.zendesk.requestCount("*", "")).isZero();
    }

    @Test
    void zendesksOwnPeriodIsNotDoubled() {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.status(403,
                "{\"error\":\"Forbidden\",\"description\":\"You do not have access to this page. Please contact the account owner of this help desk for further help.\"}"));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("read")))
                .isInstanceOf(ZendeskApiException.class)
                .hasMessageContaining("for further help. Only Zendesk admins")
                .hasMessageNotContaining("..");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void aRefusalAboutTheClientNamesTheClientNotTheScopes() {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.status(422,
                "{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\",\"details\":{\"client\":[{\"description\":\"Client cannot be blank\"}]}}"));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("read")))
                .isInstanceOf(ZendeskApiException.class)
                .hasMessageContaining("Client cannot be blank")
                .hasMessageContaining("Check the credential's OAuth client")
                .hasMessageNotContaining("Check the requested scopes");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void revokeIsIdempotent() {
        MintedToken token = api.mint(CLIENT_ID, scopes("read"));

        assertThat(api.revoke(token.id())).as("first revoke").isTrue();
        assertThat(api.revoke(token.id())).as("second revoke: 404, already gone").isFalse();
        assertThat(issued(token.id()).revoked()).isTrue();
        assertThat(env.zendesk.requestCount("DELETE", "/api/v2/oauth/tokens/" + token.id())).isEqualTo(2);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void revokeOfAnUnknownTokenCountsAsAlreadyGone() {
        assertThat(api.revoke(123_456_789L)).isFalse();
    }

    @Test
    void revokeByIdLeavesOtherTokensAlone() {
        MintedToken first = api.mint(CLIENT_ID, scopes("read"));
        MintedToken second = api.mint(CLIENT_ID, scopes("read"));

        api.revoke(first.id());

        assertThat(env.zendesk.liveTokenIds()).containsExactly(second.id());
        api.revoke(second.id());
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void bearerAuthenticationCanMintAndRevoke() {
        ZendeskAdminApi byBearer = env.api(transport, new AdminAuth.Bearer(SecretValue.of(ADMIN_BEARER)));

        MintedToken token = byBearer.mint(CLIENT_ID, scopes("read"));

        assertThat(token.userId()).isEqualTo(7011);
        assertThat(byBearer.revoke(token.id())).isTrue();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void listTokensShowsIdsButNoValues() {
        MintedToken token = api.mint(CLIENT_ID, scopes("tickets:read"));

        assertThat(api.listTokens(CLIENT_ID)).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(token.id());
            assertThat(info.clientId()).isEqualTo(CLIENT_ID);
            assertThat(info.userId()).isEqualTo(ADMIN_ID);
            assertThat(info.scopes()).containsExactly("tickets:read");
            assertThat(info.toString()).doesNotContain(token.value().reveal());
        });
        assertThat(env.reconcile(api, CLIENT_ID)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    // ---------------------------------------------------------------- who am I

    @Test
    void meIdentifiesTheAdmin() {
        ZendeskUser me = api.me();

        assertThat(me.id()).isEqualTo(ADMIN_ID);
        assertThat(me.email()).isEqualTo(ADMIN_EMAIL);
        assertThat(me.isAdmin()).isTrue();
    }

    @Test
    void meWithWrongTokenIsAnAuthenticationErrorDespiteZendesksAnonymous200() {
        ZendeskAdminApi wrong = env.api(transport, new AdminAuth.ApiToken(ADMIN_EMAIL, SecretValue.of("wrong-token-0123456789")));

        assertThatThrownBy(wrong::me)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION))
                .hasMessageContaining("anonymous")
                .hasMessageContaining("Admin Center");
    }

    @Test
    void meOfAnAgentSaysOnlyAdminsCanCreateTokens() {
        ZendeskAdminApi agent = env.api(transport, new AdminAuth.ApiToken(AGENT_EMAIL, SecretValue.of(AGENT_API_TOKEN)));

        assertThatThrownBy(agent::me)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSION))
                .hasMessageContaining("agent")
                .hasMessageContaining("only admins");
    }

    // ---------------------------------------------------------------- error mapping

    @Test
    void wrongApiTokenIs401NamingTheCredentialAndAdminCenter() {
        ZendeskAdminApi wrong = env.api(transport, new AdminAuth.ApiToken(ADMIN_EMAIL, SecretValue.of("wrong-token-0123456789")));

        assertThatThrownBy(() -> wrong.mint(CLIENT_ID, scopes("read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
                })
                .hasMessageContaining("API token of " + ADMIN_EMAIL)
                .hasMessageContaining("Couldn't authenticate you")
                .hasMessageContaining("Admin Center > Apps and integrations > APIs > API configuration");
        assertThat(env.zendesk.requestCount("POST", "/api/v2/oauth/tokens")).as("401 is not retried").isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void apiTokenAccessDisabledIs401PointingToAdminCenter() {
        env.zendesk.apiTokenAccessEnabled(false);

        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION))
                .hasMessageContaining("API token access is enabled in Admin Center")
                .hasMessageContaining("deactivates API tokens that have not been used for a while (since 2026-07-28)")
                .hasMessageContaining("all API tokens on 2027-04-30")
                .hasMessageContaining("\"Migrating from API tokens\"")
                .hasMessageContaining("OAuth client credentials");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void unknownBearerIs401SayingToReplaceIt() {
        ZendeskAdminApi wrong = env.api(transport, new AdminAuth.Bearer(SecretValue.of("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")));

        assertThatThrownBy(() -> wrong.listTokens(CLIENT_ID))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION))
                .hasMessageContaining("expired, revoked or invalid")
                .hasMessageContaining("replace it");
    }

    @Test
    void agentIs403SayingOnlyAdminsCanManageTokens() {
        ZendeskAdminApi agent = env.api(transport, new AdminAuth.ApiToken(AGENT_EMAIL, SecretValue.of(AGENT_API_TOKEN)));

        assertThatThrownBy(() -> agent.mint(CLIENT_ID, scopes("read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo(Reason.PERMISSION);
                })
                .hasMessageContaining("Only Zendesk admins can manage OAuth tokens")
                .hasMessageContaining("You do not have access to this page");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void notFoundIs404PointingToSiteAndClient() {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.status(404));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
                })
                .hasMessageContaining("Check the Zendesk site and the OAuth client id");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void scopesTheClientDoesNotAllowAre400InvalidScopeNamingTheClientsAllowedScopes() {
        assertThatThrownBy(() -> api.mint(LIMITED_CLIENT_ID, scopes("tickets:write")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo(Reason.VALIDATION);
                })
                .hasMessageContaining("Disallowed scopes: tickets:write")
                .hasMessageContaining("Add them to the allowed scopes of OAuth client " + LIMITED_CLIENT_ID)
                .hasMessageContaining("Admin Center > Apps and integrations > APIs > OAuth clients");
        assertThat(env.zendesk.requestCount("POST", "/api/v2/oauth/tokens")).as("400 is not retried").isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 422})
    void anInvalidScopeRefusalIsRecognisedByStatusAndErrorCodeWhateverItsText(int status) {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1,
                Fault.status(status, "{\"error\":\"invalid_scope\",\"error_description\":\"Nope.\"}"));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("tickets:read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining("outside the allowed scopes of OAuth client " + CLIENT_ID)
                .hasMessageContaining("Zendesk said: invalid_scope: Nope.");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void aPhraseAboutDisallowedScopesWithoutTheErrorCodeIsNotTakenForIt() {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1,
                Fault.status(422, "{\"error\":\"InvalidValue\",\"description\":\"disallowed scopes\"}"));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("tickets:read")))
                .isInstanceOf(ZendeskApiException.class)
                .hasMessageNotContaining("allowed scopes of OAuth client")
                .hasMessageContaining("Check the requested scopes");
    }

    @Test
    void unknownClientIs422WithZendesksDetails() {
        assertThatThrownBy(() -> api.mint(424242, scopes("read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.VALIDATION))
                .hasMessageContaining("RecordInvalid")
                .hasMessageContaining("Client is invalid");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void customJsonErrorBodyIsQuoted() {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1,
                Fault.status(422, "{\"error\":\"InvalidValue\",\"description\":\"Requested scopes are invalid\"}"));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, scopes("read")))
                .isInstanceOf(ZendeskApiException.class)
                .hasMessageContaining("Zendesk said: InvalidValue: Requested scopes are invalid.");
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void errorsNameTheCallAndTheSite() {
        env.zendesk.failNext("DELETE", "/api/v2/oauth/tokens", 1, Fault.status(403));

        assertThatThrownBy(() -> api.revoke(9999))
                .hasMessageStartingWith("DELETE /api/v2/oauth/tokens/9999.json on " + env.zendesk.baseUrl() + ": ");
    }
}
