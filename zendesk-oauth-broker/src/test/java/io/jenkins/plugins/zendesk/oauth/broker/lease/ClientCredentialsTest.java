package io.jenkins.plugins.zendesk.oauth.broker.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.MutableClock;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Reconciler;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Sweeper;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ControlTokens;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases authenticated with OAuth client credentials: one control token (client credentials grant)
 * serves many leases, is renewed before it expires and after a 401, is never taken for an orphan,
 * and never shows up where a secret must not. Every test ends with 0 live tokens at Zendesk,
 * control tokens included.
 */
class ClientCredentialsTest {
    private static final long ADMIN_ID = 7001;
    private static final long CONTROL_CLIENT_ID = 50400;
    private static final String CONTROL_CLIENT = "jenkins_cc";
    private static final String SECRET = "Cl1entS3cretXyZ9876543210abcdefGHIJKLmnop";
    private static final long MINTING_CLIENT_ID = 50401;
    private static final long CAPPED_CLIENT_ID = 50402;
    private static final long READ_ONLY_CONTROL_ID = 50403;
    private static final long PUBLIC_CLIENT_ID = 50404;
    /** Block tokens of the minting client expire after 30 minutes, as Zendesk's new clients do. */
    private static final Duration BLOCK_LIFETIME = Duration.ofMinutes(30);

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(() -> ZendeskEmulator.start()
                .admin(ADMIN_ID, "jenkins-robot@example.com", "unused-api-token-0000000000000000000000")
                .confidentialClient(CONTROL_CLIENT_ID, CONTROL_CLIENT, SECRET, ADMIN_ID, null)
                .confidentialClient(MINTING_CLIENT_ID, "jenkins_blocks", "other-secret", ADMIN_ID, BLOCK_LIFETIME)
                .confidentialClient(CAPPED_CLIENT_ID, "jenkins_capped", "capped-secret", ADMIN_ID, null, Set.of("tickets:read"))
                .confidentialClient(READ_ONLY_CONTROL_ID, "jenkins_read_only", "ro-secret", ADMIN_ID, null, Set.of("read"))
                .publicClient(PUBLIC_CLIENT_ID, "browser_app", ADMIN_ID))
            .releasingWith(zendesk -> this.transport.controlTokens().revokeAll());
    private ZendeskSite site;
    private MutableClock clock;
    private RecordingSleeper sleeper;
    private ZendeskTransport transport;
    private FileLeaseLedger ledger;
    private final List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    private TokenBroker broker;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        site = ZendeskSite.parse(zendesk.emulator().baseUrl(), ZendeskSite.HostPolicy.ANY_HOST);
        clock = new MutableClock(Instant.now());
        sleeper = new RecordingSleeper(clock);
        transport = EmulatedZendesk.transport(EmulatedZendesk.POLICY, sleeper, clock);
        ledger = new FileLeaseLedger(dir.resolve("ledger.json"), clock);
        broker = new TokenBroker(transport, ledger, events::add);
    }

    private static AdminAuth.ClientCredentials credentials(String identifier, String secret) {
        return new AdminAuth.ClientCredentials(identifier, SecretValue.of(secret), Duration.ofMinutes(15));
    }

    private LeaseRequest request(AdminAuth auth, OAuthClientRef client, String scopes) {
        return new LeaseRequest(site, auth, client, ScopeSet.parse(scopes, "scopes"), Optional.empty(), "job#1", "zendesk-admin");
    }

    private LeaseRequest request(String scopes) {
        return request(credentials(CONTROL_CLIENT, SECRET), new OAuthClientRef.ByIdentifier(CONTROL_CLIENT), scopes);
    }

    /** Revokes the control tokens, as Jenkins does at shutdown, and checks that nothing is left. */
    private void assertNothingLeftAfterRelease() {
        transport.controlTokens().revokeAll();
        assertThat(zendesk.emulator().liveTokenCount()).as("live Zendesk tokens, control tokens included").isZero();
        assertThat(ledger.entries()).isEmpty();
    }

    // ---------------------------------------------------------------- one control token for many leases

    @Test
    void controlTokensGrantedAndRevokedAreAuditEventsWithoutTheirValue() {
        broker.lease(request("tickets:read")).revoke();
        transport.withOwnControlTokens().controlTokens().revokeAll(); // nothing granted there: nothing to hear
        transport.controlTokens().revokeAll();

        List<LeaseEvent.ControlGranted> granted = events.stream().filter(LeaseEvent.ControlGranted.class::isInstance)
                .map(LeaseEvent.ControlGranted.class::cast).toList();
        assertThat(granted).singleElement().satisfies(g -> {
            assertThat(g.client()).isEqualTo(CONTROL_CLIENT);
            assertThat(g.tokenId()).isPositive();
            assertThat(g.entryId()).isEmpty();
        });
        assertThat(events).last().isInstanceOfSatisfying(LeaseEvent.ControlRevoked.class, r -> {
            assertThat(r.tokenId()).isEqualTo(granted.get(0).tokenId());
            assertThat(r.reason()).isEqualTo("no longer needed");
            assertThat(r.error()).isEmpty();
        });
        assertThat(events).extracting(Object::toString).noneMatch(text -> text.contains(SECRET));
        assertNothingLeftAfterRelease();
    }

    @Test
    void aLeaseMintsWithTheControlTokenAndRevokes() {
        try (TokenLease lease = broker.lease(request("tickets:read"))) {
            IssuedToken block = zendesk.emulator().token(lease.token().id()).orElseThrow();
            assertThat(block.clientId()).isEqualTo(CONTROL_CLIENT_ID);
            assertThat(block.userId()).isEqualTo(ADMIN_ID);
            assertThat(block.scopes()).containsExactly("tickets:read");
            assertThat(zendesk.emulator().liveTokenCount()).as("the block token and the control token").isEqualTo(2);
        }
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        assertThat(zendesk.emulator().liveTokenCount()).as("the control token stays cached").isEqualTo(1);
        assertThat(transport.controlTokens().ids()).hasSize(1);
        assertNothingLeftAfterRelease();
    }

    @Test
    void fiftySequentialLeasesShareOneGrant() {
        for (int i = 0; i < 50; i++) {
            broker.lease(request("tickets:read")).close();
        }
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        assertThat(zendesk.emulator().requestCount("POST", "/oauth/tokens")).isEqualTo(1);
        assertNothingLeftAfterRelease();
    }

    @Test
    void fiftyConcurrentLeasesShareOneGrant() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    broker.lease(request("tickets:read")).close();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(zendesk.emulator().clientCredentialsGrants()).as("single flight").isEqualTo(1);
        assertNothingLeftAfterRelease();
    }

    @Test
    void theControlTokenIsRenewedAMinuteBeforeItExpiresAndTheOldOneRevoked() {
        broker.lease(request("tickets:read")).close();
        long first = transport.controlTokens().ids().iterator().next();

        clock.advance(Duration.ofMinutes(15).minus(ControlTokens.RENEW_BEFORE).minusSeconds(1));
        broker.lease(request("tickets:read")).close();
        assertThat(zendesk.emulator().clientCredentialsGrants()).as("still valid for more than a minute").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        broker.lease(request("tickets:read")).close();
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(2);
        assertThat(zendesk.emulator().token(first).orElseThrow().revoked()).as("the replaced control token is revoked by id").isTrue();
        assertThat(transport.controlTokens().ids()).doesNotContain(first).hasSize(1);
        assertNothingLeftAfterRelease();
    }

    @Test
    void aControlTokenRefusedWith401IsReplacedOnce() {
        broker.lease(request("tickets:read")).close();
        long first = transport.controlTokens().ids().iterator().next();
        zendesk.emulator().revokeExternally(first); // e.g. an admin revoked it in Admin Center

        try (TokenLease lease = broker.lease(request("tickets:read"))) {
            assertThat(zendesk.emulator().token(lease.token().id()).orElseThrow().live()).isTrue();
        }
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(2);
        assertThat(transport.controlTokens().ids()).doesNotContain(first);
        assertNothingLeftAfterRelease();
    }

    @Test
    void anExpiredControlTokenIsReplacedEvenIfJenkinsClockLags() {
        broker.lease(request("tickets:read")).close();
        zendesk.emulator().advanceClock(Duration.ofMinutes(16)); // Zendesk's clock runs ahead: it has expired the control token

        broker.lease(request("tickets:read")).close();
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(2);
        assertNothingLeftAfterRelease();
    }

    @Test
    void aSeparateMintingClientIssuesTheBlockTokensAndItsExpiryIsRecorded() {
        try (TokenLease lease = broker.lease(request(credentials(CONTROL_CLIENT, SECRET), new OAuthClientRef.ById(MINTING_CLIENT_ID),
                "tickets:read"))) {
            IssuedToken block = zendesk.emulator().token(lease.token().id()).orElseThrow();
            assertThat(block.clientId()).isEqualTo(MINTING_CLIENT_ID);
            assertThat(block.expiresAt()).isCloseTo(zendesk.emulator().now().plus(BLOCK_LIFETIME), within(1, ChronoUnit.MINUTES));
            assertThat(lease.token().expiresAt()).contains(block.expiresAt());
            assertThat(ledger.find(lease.entryId()).orElseThrow().expiresAt()).contains(block.expiresAt());
            assertThat(events).filteredOn(LeaseEvent.Minted.class::isInstance).singleElement()
                    .isInstanceOfSatisfying(LeaseEvent.Minted.class, m -> assertThat(m.expiresAt()).contains(block.expiresAt()));
        }
        assertNothingLeftAfterRelease();
    }

    // ---------------------------------------------------------------- recovery

    @Test
    void reconciliationNeverRevokesTheControlToken() {
        // A lost mint with the control token's own traits: same client, same admin, scopes "read write", same minute.
        broker.lease(request("tickets:read")).close();
        long control = transport.controlTokens().ids().iterator().next();
        LedgerEntry lost = ledger.recordIntent(site.toString(), CONTROL_CLIENT_ID, "job#2", "zendesk-admin", ScopeSet.parse("read write", "scopes"));
        ledger.recordFailure(lost.id(), LedgerEntry.State.UNCERTAIN, "timeout", clock.instant());

        clock.advance(Duration.ofMinutes(10)); // past the mint window: nothing matched, so the entry is settled
        Reconciler.Outcome outcome = new Reconciler(transport, ledger, clock, Reconciler.DEFAULT_SKEW)
                .reconcile(ledger.find(lost.id()).orElseThrow(), site, credentials(CONTROL_CLIENT, SECRET));

        assertThat(outcome).isInstanceOfSatisfying(Reconciler.Outcome.Reconciled.class, r -> assertThat(r.revoked()).isEmpty());
        assertThat(zendesk.emulator().token(control).orElseThrow().live()).as("the control token in use").isTrue();
        assertNothingLeftAfterRelease();
    }

    @Test
    void anEntryWhoseTokenExpiredIsClosedWithoutAZendeskCall() {
        LedgerEntry entry = ledger.recordIntent(site.toString(), MINTING_CLIENT_ID, "job#3", "zendesk-admin", ScopeSet.parse("read", "scopes"));
        ledger.recordMinted(entry.id(), 424242, clock.instant(), Optional.of(clock.instant().plus(BLOCK_LIFETIME)));
        ledger.updateState(entry.id(), LedgerEntry.State.REVOKE_PENDING);
        Sweeper sweeper = new Sweeper(broker, e -> Optional.of(credentials(CONTROL_CLIENT, SECRET)), owner -> false, clock);

        // Within the margin for clock differences it does not count as expired yet.
        assertThat(ledger.find(entry.id()).orElseThrow().expiredBy(clock.instant().plus(BLOCK_LIFETIME).plusSeconds(30), Reconciler.DEFAULT_SKEW))
                .isFalse();
        clock.advance(BLOCK_LIFETIME.plus(Reconciler.DEFAULT_SKEW).plusSeconds(1));
        zendesk.emulator().resetCounters();

        SweepReport report = sweeper.sweep();
        assertThat(report.expiredTokenIds()).containsExactly(424242L);
        assertThat(report.toString()).contains("1 expired");
        assertThat(zendesk.emulator().requestCount(null, "/")).as("no Zendesk call").isZero();
        assertNothingLeftAfterRelease();
    }

    // ---------------------------------------------------------------- bad input and refusals: nothing minted

    @Test
    void aWrongSecretNamesTheClientAndMintsNothing() {
        assertThatThrownBy(() -> broker.lease(request(credentials(CONTROL_CLIENT, "wrong-secret"), new OAuthClientRef.ById(CONTROL_CLIENT_ID),
                "tickets:read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(ZendeskApiException.Reason.AUTHENTICATION))
                .hasMessageContaining("identifier or secret of client 'jenkins_cc'")
                .hasMessageNotContaining("wrong-secret");
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).isZero();
        assertNothingLeftAfterRelease();
    }

    @Test
    void anUnknownIdentifierIsRefusedLikeAWrongSecret() {
        assertThatThrownBy(() -> broker.lease(request(credentials("no_such_client", SECRET), new OAuthClientRef.ById(CONTROL_CLIENT_ID),
                "tickets:read")))
                .isInstanceOf(ZendeskApiException.class).hasMessageContaining("client 'no_such_client'");
        assertNothingLeftAfterRelease();
    }

    @Test
    void aPublicClientIsToldToUseAConfidentialOne() {
        assertThatThrownBy(() -> broker.lease(request(credentials("browser_app", SECRET), new OAuthClientRef.ById(CONTROL_CLIENT_ID),
                "tickets:read")))
                .isInstanceOf(ZendeskApiException.class).hasMessageContaining("Only confidential clients");
        assertNothingLeftAfterRelease();
    }

    @Test
    void aControlClientWithoutWriteIsToldToAllowReadAndWrite() {
        assertThatThrownBy(() -> broker.lease(request(credentials("jenkins_read_only", "ro-secret"), new OAuthClientRef.ById(CONTROL_CLIENT_ID),
                "tickets:read")))
                .isInstanceOf(ZendeskApiException.class).hasMessageContaining("Allow read and write on client 'jenkins_read_only'");
        assertNothingLeftAfterRelease();
    }

    @Test
    void aBlockScopeOutsideTheMintingClientsAllowedScopesNamesScopeAndClient() {
        assertThatThrownBy(() -> broker.lease(request(credentials(CONTROL_CLIENT, SECRET), new OAuthClientRef.ById(CAPPED_CLIENT_ID),
                "tickets:write")))
                .isInstanceOf(ZendeskApiException.class)
                .hasMessageContaining("[\"tickets:write\"] are outside the allowed scopes of OAuth client " + CAPPED_CLIENT_ID)
                .hasMessageContaining("HTTP 400 invalid_scope")
                .hasMessageContaining("Add them to the allowed scopes of OAuth client " + CAPPED_CLIENT_ID);
        assertNothingLeftAfterRelease();
    }

    @Test
    void aControlLifetimeOutOfZendesksBoundsIsRefusedBeforeAnyCall() {
        for (Duration bad : List.of(Duration.ofMinutes(5), Duration.ofHours(48), Duration.ZERO)) {
            assertThatThrownBy(() -> new AdminAuth.ClientCredentials(CONTROL_CLIENT, SecretValue.of(SECRET), bad))
                    .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("authentication.controlTokenMinutes"));
        }
        assertThat(new AdminAuth.ClientCredentials(CONTROL_CLIENT, SecretValue.of(SECRET), Duration.ofMinutes(6)).controlLifetime())
                .isEqualTo(Duration.ofMinutes(6));
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void anHtmlAnswerToTheGrantIsNamedAndMintsNothing() {
        zendesk.emulator().failNext("POST", "/oauth/tokens", 1, Fault.html(200));
        assertThatThrownBy(() -> broker.lease(request("tickets:read")))
                .isInstanceOfSatisfying(ZendeskApiException.class,
                        e -> assertThat(e.reason()).isEqualTo(ZendeskApiException.Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("POST /oauth/tokens")
                .hasMessageContaining("instead of JSON");
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).isZero();
        assertNothingLeftAfterRelease();
    }

    @Test
    void aGrantThatFailsWith5xxIsRetried() {
        zendesk.emulator().failNext("POST", "/oauth/tokens", 1, Fault.status(503));
        broker.lease(request("tickets:read")).close();
        assertThat(zendesk.emulator().requestCount("POST", "/oauth/tokens")).isEqualTo(2);
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        assertNothingLeftAfterRelease();
    }

    @Test
    void aGrantThatOutlastsTheRetriesFailsTheLeaseAndMintsNothing() {
        zendesk.emulator().failNext("POST", "/oauth/tokens", 10, Fault.status(503));
        assertThatThrownBy(() -> broker.lease(request("tickets:read")))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(ZendeskApiException.Reason.SERVER_ERROR))
                .hasMessageContaining("POST /oauth/tokens");
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).isZero();
        assertNothingLeftAfterRelease();
    }

    @Test
    void aRateLimitedGrantWaitsForRetryAfter() {
        zendesk.emulator().failNext("POST", "/oauth/tokens", 1, Fault.rateLimited(2));
        broker.lease(request("tickets:read")).close();
        assertThat(sleeper.sleeps()).contains(Duration.ofSeconds(2));
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        assertNothingLeftAfterRelease();
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void neitherTheClientSecretNorAControlTokenAppearsAnywhere() throws Exception {
        List<String> texts = new ArrayList<>();
        try (TokenLease lease = broker.lease(request("tickets:read"))) {
            texts.add(lease.toString());
            texts.add(lease.token().toString());
        }
        AdminAuth.ClientCredentials auth = credentials(CONTROL_CLIENT, SECRET);
        texts.add(auth.toString());
        texts.add(request("tickets:read").toString());
        events.forEach(e -> texts.add(e.toString()));
        texts.add(Files.readString(ledger.file(), StandardCharsets.UTF_8));
        texts.add(transport.admin(site, auth).controlToken().orElseThrow().toString());
        for (Throwable t : List.of(
                catchZendesk(() -> broker.lease(request(credentials(CONTROL_CLIENT, "wrong-" + SECRET), new OAuthClientRef.ById(CONTROL_CLIENT_ID),
                        "tickets:read"))),
                catchZendesk(() -> broker.lease(request(credentials(CONTROL_CLIENT, SECRET), new OAuthClientRef.ById(CAPPED_CLIENT_ID),
                        "tickets:write"))))) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                texts.add(String.valueOf(c.getMessage()));
                texts.add(c.toString());
            }
        }
        SecretScan secrets = SecretScan.of(zendesk.emulator()).and("wrong-" + SECRET);
        for (String text : texts) {
            secrets.assertNotIn("an exception", text);
        }
        assertNothingLeftAfterRelease();
    }

    private static Throwable catchZendesk(Runnable work) {
        try {
            work.run();
        } catch (ZendeskException e) {
            return e;
        }
        throw new AssertionError("expected a Zendesk failure");
    }
}
