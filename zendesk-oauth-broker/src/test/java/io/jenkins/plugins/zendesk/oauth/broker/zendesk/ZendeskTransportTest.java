package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.MutableClock;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite.HostPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException.Reason;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries, timeouts, the deadline, faults and redirects: the rules shared by every Zendesk call. */
class ZendeskTransportTest {
    private static final String TOKENS = "/api/v2/oauth/tokens";
    private static final String CLIENTS = "/api/v2/oauth/clients";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(EmulatedZendesk::startEmulator);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private EmulatedZendesk env;
    private ZendeskAdminApi api;

    @BeforeEach
    void wire() {
        env = new EmulatedZendesk(zendesk.emulator()).warmedUp();
        api = env.api(EmulatedZendesk.transport(POLICY, sleeper));
    }

    private static ScopeSet read() {
        return ScopeSet.parse("read", "scopes");
    }

    private int requests(String method, String path) {
        return env.zendesk.requestCount(method, path);
    }

    private MintedToken mint() {
        return api.mint(CLIENT_ID, read());
    }

    // ---------------------------------------------------------------- 429

    @Test
    void rateLimitedMintWaitsForRetryAfterThenSucceeds() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.rateLimited(7));

        MintedToken token = mint();

        assertThat(sleeper.sleeps()).singleElement().satisfies(d -> assertThat(d).isCloseTo(Duration.ofSeconds(7), Duration.ofMillis(500)));
        assertThat(requests("POST", TOKENS)).isEqualTo(2);
        api.revoke(token.id());
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void rateLimitedListWaitsForEachRetryAfter() {
        env.zendesk.failNext("GET", CLIENTS, 2, Fault.rateLimited(3));

        assertThat(api.listClients()).isNotEmpty();

        assertThat(sleeper.sleeps()).hasSize(2).allSatisfy(d -> assertThat(d).isCloseTo(Duration.ofSeconds(3), Duration.ofMillis(500)));
        assertThat(requests("GET", CLIENTS)).isEqualTo(3);
    }

    @Test
    void rateLimitIsWaitedOutBeyondTheAttempts() {
        env.zendesk.failNext("POST", TOKENS, 3, Fault.rateLimited(1));

        MintedToken token = mint();

        assertThat(requests("POST", TOKENS)).as("a 429 is not a failed attempt: nothing was done").isEqualTo(4);
        assertThat(sleeper.sleeps()).hasSize(3);
        api.revoke(token.id());
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void retryAfterLongerThanTheAdmissionAllowsFailsWithoutWaiting() {
        ZendeskAdminApi capped = api.waitingAs(Admission.build().withMaxWait(Duration.ofSeconds(60), "Manage Jenkins > System > Longest wait"));
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.rateLimited(120));

        assertThatThrownBy(capped::listClients)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
                })
                .hasMessageContaining("Zendesk's rate limit on " + env.zendesk.baseUrl())
                .hasMessageContaining("s in all, longer than 60 s, the longest wait allowed (Manage Jenkins > System > Longest wait)")
                .hasMessageContaining("raise that setting");
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(requests("GET", CLIENTS)).isEqualTo(1);
    }

    @Test
    void rateLimitWaitDoesNotCountAgainstTheDeadline() {
        api = env.api(EmulatedZendesk.transport(POLICY.withDeadline(Duration.ofSeconds(10)), sleeper));
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.rateLimited(45));

        assertThat(api.listClients()).isNotEmpty();

        assertThat(sleeper.sleeps()).singleElement().satisfies(d -> assertThat(d).isCloseTo(Duration.ofSeconds(45), Duration.ofMillis(500)));
    }

    @Test
    void rateLimitWithoutRetryAfterWaitsASecondFirst() {
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.status(429));

        api.listClients();

        assertThat(sleeper.sleeps()).singleElement()
                .satisfies(d -> assertThat(d).isCloseTo(Duration.ofSeconds(1), Duration.ofMillis(500)));
    }

    // ---------------------------------------------------------------- 5xx

    @Test
    void serverErrorOnGetIsRetriedWithExponentialBackoffThenSucceeds() {
        env.zendesk.failNext("GET", CLIENTS, 2, Fault.status(503));

        assertThat(api.listClients()).isNotEmpty();

        assertThat(requests("GET", CLIENTS)).isEqualTo(3);
        assertThat(sleeper.sleeps()).hasSize(2);
        // Equal jitter: between half and all of 100 ms, then of 200 ms.
        assertThat(sleeper.sleeps().get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(sleeper.sleeps().get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void backoffIsCappedAndJittered() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofSeconds(5));
        Backoff backoff = new Backoff(policy, Clock.systemUTC(), new SplittableRandom(42));

        for (int attempt = 1; attempt <= 8; attempt++) {
            Duration full = Duration.ofMillis(Math.min(500L << (attempt - 1), 2000));
            assertThat(backoff.of(attempt)).isBetween(full.dividedBy(2), full);
        }
        assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> backoff.of(8)).distinct().count())
                .as("jitter varies the pause").isGreaterThan(1);
    }

    @Test
    void serverErrorBeyondTheAttemptsIsServerError() {
        env.zendesk.failNext("GET", CLIENTS, 3, Fault.status(503));

        assertThatThrownBy(api::listClients)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
                })
                .hasMessageContaining("after 3 attempt(s)")
                .hasMessageContaining("status.zendesk.com");
        assertThat(requests("GET", CLIENTS)).isEqualTo(3);
    }

    @Test
    void serverErrorOnRevokeIsRetried() {
        MintedToken token = mint();
        env.zendesk.failNext("DELETE", TOKENS, 1, Fault.status(500));

        assertThat(api.revoke(token.id())).isTrue();

        assertThat(requests("DELETE", TOKENS)).isEqualTo(2);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void serverErrorOnMintIsAnUnknownOutcomeAndIsNotRetried() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.status(500));

        assertThatThrownBy(this::mint)
                .isInstanceOfSatisfying(MintOutcomeUnknownException.class,
                        e -> assertThat(e.sentAt()).isBeforeOrEqualTo(e.gaveUpAt()))
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("may or may not have been created");
        assertThat(requests("POST", TOKENS)).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void mintThatZendeskPerformedButAnswered502IsUnknownAndCanBeReconciled() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.processThenStatus(502));

        assertThatThrownBy(this::mint).isInstanceOf(MintOutcomeUnknownException.class);

        assertThat(requests("POST", TOKENS)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).as("the token Zendesk did create").isEqualTo(1);
        assertThat(env.reconcile(api, CLIENT_ID)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    // ---------------------------------------------------------------- dropped connections

    @Test
    void connectionResetOnMintIsAnUnknownOutcome() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.connectionReset());

        assertThatThrownBy(this::mint)
                .isInstanceOf(MintOutcomeUnknownException.class)
                .hasMessageContaining("connection failed");
        assertThat(requests("POST", TOKENS)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void answerLostAfterTheMintIsAnUnknownOutcomeAndCanBeReconciled() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.processThenReset());

        assertThatThrownBy(this::mint).isInstanceOf(MintOutcomeUnknownException.class);

        assertThat(requests("POST", TOKENS)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isEqualTo(1);
        assertThat(env.reconcile(api, CLIENT_ID)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void connectionResetOnGetIsRetried() {
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.connectionReset());

        assertThat(api.listClients()).isNotEmpty();
        assertThat(requests("GET", CLIENTS)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void connectionResetOnRevokeIsRetried() {
        MintedToken token = mint();
        env.zendesk.failNext("DELETE", TOKENS, 1, Fault.processThenReset());

        assertThat(api.revoke(token.id())).as("the retry finds it already revoked").isFalse();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void refusedConnectionIsRetriedEvenForTheMintBecauseNothingWasSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ZendeskAdminApi nowhere = EmulatedZendesk.transport(POLICY, sleeper)
                .admin(ZendeskSite.parse("http://localhost:" + closedPort, HostPolicy.ANY_HOST), env.auth);

        assertThatThrownBy(() -> nowhere.mint(CLIENT_ID, read()))
                .isInstanceOf(ZendeskTransportException.class)
                .isNotInstanceOf(MintOutcomeUnknownException.class)
                .hasMessageContaining("3 attempt(s) failed")
                .hasMessageContaining("could not connect to localhost")
                .hasMessageContaining("proxy settings");
        assertThat(sleeper.sleeps()).hasSize(2);
    }

    // ---------------------------------------------------------------- bodies that are not Zendesk JSON

    @Test
    void htmlBadGatewayIsAnUnexpectedResponseWithAShortTagFreeExcerpt() {
        env.zendesk.failNext("GET", CLIENTS, 3, Fault.html(502));

        assertThatThrownBy(api::listClients)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
                    assertThat(e.getMessage()).contains("HTTP 502", "text/html", "502 Bad Gateway", "nginx")
                            .doesNotContain("<", ">", "<html", "</h1>")
                            .hasSizeLessThan(800);
                });
        assertThat(requests("GET", CLIENTS)).as("a 502 is still retried").isEqualTo(3);
    }

    @Test
    void htmlBadGatewayOnMintIsAnUnknownOutcomeWithTheExcerpt() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.html(502));

        assertThatThrownBy(this::mint)
                .isInstanceOf(MintOutcomeUnknownException.class)
                .hasMessageContaining("502 Bad Gateway")
                .hasMessageNotContaining("<");
        assertThat(requests("POST", TOKENS)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void nonJsonSuccessIsAnUnexpectedResponseAskingAboutAProxy() {
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.status(200, "<html><body><p>Please sign in</p></body></html>"));

        assertThatThrownBy(api::listClients)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("instead of JSON: 'Please sign in'")
                .hasMessageContaining("proxy or gateway");
    }

    @Test
    void longErrorBodiesAreCut() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.html(400));
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.status(400, "{\"error\":\"" + "x ".repeat(5000) + "\"}"));

        assertThatThrownBy(api::listClients).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000).contains("..."));
        env.zendesk.clearFaults();
    }

    // ---------------------------------------------------------------- timeouts and the deadline

    @Test
    void slowAnswerToAGetTimesOutAndIsRetried() {
        api = env.api(EmulatedZendesk.transport(POLICY.withRequestTimeout(Duration.ofMillis(300)), sleeper));
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.delay(Duration.ofSeconds(3)));

        assertThat(api.listClients()).isNotEmpty();

        assertThat(requests("GET", CLIENTS)).isEqualTo(2);
        assertThat(sleeper.sleeps()).hasSize(1);
    }

    @Test
    void slowAnswersBeyondTheAttemptsAreATransportError() {
        api = env.api(EmulatedZendesk.transport(POLICY.withRequestTimeout(Duration.ofMillis(200)).withMaxAttempts(2), sleeper));
        env.zendesk.failNext("GET", CLIENTS, 2, Fault.delay(Duration.ofSeconds(3)));

        assertThatThrownBy(api::listClients)
                .isInstanceOf(ZendeskTransportException.class)
                .hasMessageContaining("2 attempt(s) failed")
                .hasMessageContaining("no answer within the request timeout");
    }

    @Test
    void slowAnswerToTheMintIsAnUnknownOutcomeAndCanBeReconciled() {
        // Long enough for the server to process the request before the client gives up.
        api = env.api(EmulatedZendesk.transport(POLICY.withRequestTimeout(Duration.ofSeconds(1)), sleeper));
        env.zendesk.failNext("POST", TOKENS, 1, Fault.delay(Duration.ofSeconds(5)));
        int issuedBefore = env.zendesk.issuedTokens().size();

        assertThatThrownBy(this::mint)
                .isInstanceOf(MintOutcomeUnknownException.class)
                .hasMessageContaining("no answer within the request timeout");

        env.awaitIssuedTokens(issuedBefore + 1);
        assertThat(requests("POST", TOKENS)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isEqualTo(1);
        assertThat(env.reconcile(api, CLIENT_ID)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void overallDeadlineEndsTheRetriesBeforeTheAttemptsRunOut() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        RecordingSleeper advancing = new RecordingSleeper(clock);
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        api = env.api(EmulatedZendesk.transport(policy, advancing, clock));
        env.zendesk.failNext("GET", CLIENTS, 10, Fault.status(503));

        // Still Zendesk's own 5xx: the same type and reason as when the attempts run out.
        assertThatThrownBy(api::listClients)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR))
                .hasMessageContaining("deadline of 5 s");

        assertThat(requests("GET", CLIENTS)).isBetween(2, 9);
        assertThat(advancing.sleeps().stream().reduce(Duration.ZERO, Duration::plus)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void deadlineAlsoBoundsASingleSlowExchange() {
        api = env.api(EmulatedZendesk.transport(POLICY.withDeadline(Duration.ofMillis(400)), sleeper));
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.delay(Duration.ofSeconds(5)));

        assertThatThrownBy(api::listClients)
                .isInstanceOf(ZendeskTransportException.class)
                .hasMessageContaining("1 attempt(s) failed and another would pass the overall deadline of 400 ms")
                .hasMessageContaining("no answer within the request timeout");
        assertThat(requests("GET", CLIENTS)).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    // ---------------------------------------------------------------- redirects

    @Test
    void transportRefusesAClientThatFollowsRedirects() {
        for (HttpClient.Redirect redirect : new HttpClient.Redirect[] {HttpClient.Redirect.NORMAL, HttpClient.Redirect.ALWAYS}) {
            HttpClient following = HttpClient.newBuilder().followRedirects(redirect).build();
            assertThatThrownBy(() -> new ZendeskTransport(following, POLICY, Clock.systemUTC(), sleeper, new SplittableRandom()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not follow redirects");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectOnTheMintIsNotFollowedAndTheCredentialsStayHome(int status) {
        withRedirectingSite(status, redirecting -> assertThatThrownBy(() -> redirecting.mint(CLIENT_ID, read()))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.reason()).isEqualTo(Reason.OTHER);
                })
                .hasMessageContaining("never followed")
                .hasMessageContaining("resend the admin credentials"));
    }

    @Test
    void redirectOnListAndRevokeIsNotFollowedEither() {
        withRedirectingSite(302, redirecting -> {
            assertThatThrownBy(redirecting::listClients).isInstanceOf(ZendeskApiException.class).hasMessageContaining("redirect");
            assertThatThrownBy(() -> redirecting.revoke(9000)).isInstanceOf(ZendeskApiException.class).hasMessageContaining("redirect");
        });
    }

    /** An origin that redirects everything to a second server, which must never be asked anything. */
    private void withRedirectingSite(int status, Consumer<ZendeskAdminApi> test) {
        WireMockServer target = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("localhost"));
        WireMockServer origin = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("localhost"));
        target.start();
        origin.start();
        try {
            target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                    .withBody("{\"token\":{\"id\":1,\"full_token\":\"stolen\"}}")));
            origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)
                    .withHeader("Location", target.baseUrl() + "/api/v2/oauth/tokens.json")));
            test.accept(EmulatedZendesk.transport(POLICY, sleeper)
                    .admin(ZendeskSite.parse(origin.baseUrl(), HostPolicy.ANY_HOST), env.auth));

            assertThat(target.getAllServeEvents()).as("requests that reached the redirect target").isEmpty();
            assertThat(origin.getAllServeEvents()).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getRequest().getHeader("Authorization")).isEqualTo(env.auth.authorizationHeader()));
        } finally {
            origin.stop();
            target.stop();
        }
    }

    // ---------------------------------------------------------------- body size

    @Test
    void anAnswerLargerThanTheBoundIsNeitherReadWhollyNorRetriedNorQuoted() {
        String huge = "{\"clients\":[],\"padding\":\"" + "Z".repeat(CappedBody.MAX_BYTES) + "\"}";
        env.zendesk.failNext("GET", CLIENTS, 3, Fault.status(200, huge));

        assertThatThrownBy(api::listClients)
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("larger than " + CappedBody.MAX_BYTES + " bytes")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ZZZZ"));
        assertThat(requests("GET", CLIENTS)).isEqualTo(1);
    }

    @Test
    void aMintAnsweredWithMoreThanTheBoundHasAnUnknownOutcome() {
        env.zendesk.failNext("POST", TOKENS, 1, Fault.status(201, "{\"token\":{\"id\":1,\"full_token\":\"" + "Z".repeat(CappedBody.MAX_BYTES)
                + "\"}}"));

        assertThatThrownBy(this::mint).isInstanceOf(MintOutcomeUnknownException.class).hasMessageContaining("larger than");
        assertThat(requests("POST", TOKENS)).isEqualTo(1);
    }

    @Test
    void anAnswerJustWithinTheBoundIsRead() {
        String padded = "{\"clients\":[],\"meta\":{\"has_more\":false},\"padding\":\"" + "Z".repeat(CappedBody.MAX_BYTES - 100) + "\"}";
        env.zendesk.failNext("GET", CLIENTS, 1, Fault.status(200, padded));

        assertThat(api.listClients()).isEmpty();
    }
}
