package io.jenkins.plugins.zendesk.oauth.broker.lease;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_IDENTIFIER;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Leases: one token per block, revoked on close, exactly once, audited without values. */
class TokenBrokerTest {
    private static final String OWNER = "folder/job#42";
    private static final String AUTHORITY = "zendesk-admin";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(EmulatedZendesk::startEmulator);
    private EmulatedZendesk env;

    @TempDir
    Path dir;
    private final List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    private FileLeaseLedger ledger;
    private TokenBroker broker;

    @BeforeEach
    void newBroker() {
        env = new EmulatedZendesk(zendesk.emulator()).warmedUp();
        ledger = new FileLeaseLedger(dir.resolve("ledger.json"), Clock.systemUTC());
        broker = new TokenBroker(EmulatedZendesk.transport(POLICY, new RecordingSleeper()), ledger, events::add);
    }

    private LeaseRequest request(String scopes) {
        return request(new OAuthClientRef.ById(CLIENT_ID), ScopeSet.parse(scopes, "scopes"), Optional.empty());
    }

    private LeaseRequest request(OAuthClientRef client, ScopeSet scopes, Optional<ScopeSet> ceiling) {
        return new LeaseRequest(env.site, env.auth, client, scopes, ceiling, OWNER, AUTHORITY);
    }

    private int getTickets(TokenLease lease) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(env.zendesk.baseUrl() + "/api/v2/tickets.json"))
                .header("Authorization", "Bearer " + lease.token().value().reveal()).GET().build();
        return EmulatedZendesk.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int allRequests() {
        return env.zendesk.requestCount("*", "");
    }

    // ---------------------------------------------------------------- the lease

    @Test
    void leaseHandsOutAWorkingTokenAndCloseRevokesIt() throws Exception {
        TokenLease kept;
        try (TokenLease lease = broker.lease(request("tickets:read"))) {
            kept = lease;
            assertThat(env.zendesk.liveTokenIds()).containsExactly(lease.token().id());
            assertThat(getTickets(lease)).isEqualTo(200);
            assertThat(lease.isRevoked()).isFalse();
        }

        assertThat(kept.isRevoked()).isTrue();
        assertThat(getTickets(kept)).isEqualTo(401);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void ledgerRecordsTheLiveTokenAndForgetsItOnceRevoked() {
        try (TokenLease lease = broker.lease(request("tickets:read"))) {
            LedgerEntry entry = ledger.find(lease.entryId()).orElseThrow();
            assertThat(entry.state()).isEqualTo(LedgerEntry.State.LIVE);
            assertThat(entry.tokenId()).contains(lease.token().id());
            assertThat(entry.owner()).isEqualTo(OWNER);
            assertThat(entry.authority()).isEqualTo(AUTHORITY);
            assertThat(entry.scopes()).containsExactly("tickets:read");
        }

        assertThat(ledger.entries()).isEmpty();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void closingTwiceRevokesOnceAndReturnsTheSameOutcome() {
        TokenLease lease = broker.lease(request("read"));

        RevocationOutcome first = lease.revoke();
        lease.close();
        RevocationOutcome again = lease.revoke();

        assertThat(again).isSameAs(first);
        assertThat(first.revoked()).isTrue();
        assertThat(first.alreadyGone()).isFalse();
        assertThat(env.zendesk.requestCount("DELETE", "/api/v2/oauth/tokens")).isEqualTo(1);
        assertThat(events).filteredOn(LeaseEvent.Revoked.class::isInstance).hasSize(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void concurrentClosesSendExactlyOneDelete() throws Exception {
        TokenLease lease = broker.lease(request("read"));
        env.zendesk.latency(Duration.ofMillis(100)); // keep the first DELETE in flight while the others arrive
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<RevocationOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return lease.revoke();
                }));
            }
            go.countDown();
            Set<RevocationOutcome> distinct = ConcurrentHashMap.newKeySet();
            for (Future<RevocationOutcome> outcome : outcomes) {
                distinct.add(outcome.get(30, TimeUnit.SECONDS));
            }

            assertThat(distinct).singleElement().satisfies(o -> assertThat(o.revoked()).isTrue());
        } finally {
            pool.shutdownNow();
        }
        assertThat(env.zendesk.requestCount("DELETE", "/api/v2/oauth/tokens")).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void tokenRevokedElsewhereCountsAsRevokedAndAlreadyGone() {
        TokenLease lease = broker.lease(request("read"));
        env.zendesk.revokeExternally(lease.token().id());

        RevocationOutcome outcome = lease.revoke();

        assertThat(outcome.revoked()).isTrue();
        assertThat(outcome.alreadyGone()).isTrue();
        assertThat(events).last().isInstanceOfSatisfying(LeaseEvent.Revoked.class, e -> assertThat(e.alreadyGone()).isTrue());
        assertThat(ledger.entries()).isEmpty();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void failedRevocationIsReportedAndLeftInTheLedgerForTheSweeper() {
        TokenLease lease = broker.lease(request("read"));
        env.zendesk.failNext("DELETE", "/api/v2/oauth/tokens", 3, Fault.status(503));

        RevocationOutcome outcome = lease.revoke();

        assertThat(outcome.revoked()).isFalse();
        assertThat(outcome.error()).hasValueSatisfying(error -> assertThat(error).contains("HTTP 503"));
        assertThat(lease.isRevoked()).isFalse();
        assertThat(events).last().isInstanceOfSatisfying(LeaseEvent.RevokeFailed.class, e -> {
            assertThat(e.tokenId()).isEqualTo(lease.token().id());
            assertThat(e.error()).contains("HTTP 503");
        });
        LedgerEntry entry = ledger.find(lease.entryId()).orElseThrow();
        assertThat(entry.state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);
        assertThat(entry.tokenId()).contains(lease.token().id());
        assertThat(env.zendesk.liveTokenIds()).containsExactly(lease.token().id());

        // What the sweeper does later, from the ledger entry alone.
        RevocationOutcome later = broker.revoke(env.site, env.auth, entry.tokenId().orElseThrow(), entry.id(), entry.owner());
        assertThat(later.revoked()).isTrue();
        assertThat(ledger.entries()).isEmpty();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void toStringShowsIdsButNeverTheToken() {
        try (TokenLease lease = broker.lease(request("read"))) {
            assertThat(lease.toString()).contains(Long.toString(lease.token().id()), OWNER)
                    .doesNotContain(lease.token().value().reveal());
            assertThat(lease.token().toString()).doesNotContain(lease.token().value().reveal());
        }
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    // ---------------------------------------------------------------- audit events

    @Test
    void listenerHearsMintedAndRevokedWithIdsScopesAndTimingsButNoValue() {
        long tokenId;
        String value;
        try (TokenLease lease = broker.lease(request("users:read tickets:read"))) {
            tokenId = lease.token().id();
            value = lease.token().value().reveal();
        }

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(LeaseEvent.Minted.class, e -> {
            assertThat(e.tokenId()).isEqualTo(tokenId);
            assertThat(e.clientId()).isEqualTo(CLIENT_ID);
            assertThat(e.scopes().asStrings()).containsExactly("tickets:read", "users:read");
            assertThat(e.owner()).isEqualTo(OWNER);
            assertThat(e.site()).isEqualTo(env.site);
            assertThat(e.took()).isPositive();
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(LeaseEvent.Revoked.class, e -> {
            assertThat(e.tokenId()).isEqualTo(tokenId);
            assertThat(e.owner()).isEqualTo(OWNER);
            assertThat(e.took()).isPositive();
            assertThat(e.alreadyGone()).isFalse();
        });
        assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain(value, EmulatedZendesk.ADMIN_API_TOKEN));
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void aThrowingListenerDoesNotBreakTheLease() {
        TokenBroker withBadListener = new TokenBroker(broker.transport(), ledger, event -> {
            throw new IllegalStateException("listener bug");
        });

        try (TokenLease lease = withBadListener.lease(request("read"))) {
            assertThat(lease.token().id()).isPositive();
        }
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    // ---------------------------------------------------------------- client resolution

    @Test
    void clientIdentifierIsResolvedOnceAndThenCached() {
        OAuthClientRef byIdentifier = new OAuthClientRef.ByIdentifier(CLIENT_IDENTIFIER);
        LeaseRequest request = request(byIdentifier, ScopeSet.parse("read", "scopes"), Optional.empty());

        try (TokenLease first = broker.lease(request)) {
            assertThat(first.token().clientId()).isEqualTo(CLIENT_ID);
        }
        int lookupsForFirst = env.zendesk.requestCount("GET", "/api/v2/oauth/clients");
        env.zendesk.resetCounters();
        try (TokenLease second = broker.lease(request)) {
            assertThat(second.token().clientId()).isEqualTo(CLIENT_ID);
        }

        assertThat(lookupsForFirst).isEqualTo(1);
        assertThat(env.zendesk.requestCount("GET", "/api/v2/oauth/clients")).as("client list requests on the second lease").isZero();
        assertThat(env.zendesk.requestCount("POST", "/api/v2/oauth/tokens")).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void unknownClientIdentifierMintsNothing() {
        LeaseRequest request = request(new OAuthClientRef.ByIdentifier("nope"), ScopeSet.parse("read", "scopes"), Optional.empty());

        assertThatThrownBy(() -> broker.lease(request))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("client"));
        assertThat(env.zendesk.requestCount("POST", "/api/v2/oauth/tokens")).isZero();
        assertThat(ledger.entries()).isEmpty();
    }

    // ---------------------------------------------------------------- bad input: no HTTP at all

    @Test
    void scopeAboveTheCeilingIsRefusedWithoutAnyRequest() {
        LeaseRequest request = request(new OAuthClientRef.ByIdentifier(CLIENT_IDENTIFIER), ScopeSet.parse("read", "scopes"),
                Optional.of(ScopeSet.parse("tickets:read", "allowedScopes")));

        assertThatThrownBy(() -> broker.lease(request))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("exceed the credential's allowed scopes tickets:read");
        assertThat(allRequests()).isZero();
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void scopeWithinTheCeilingIsLeased() {
        LeaseRequest request = request(new OAuthClientRef.ById(CLIENT_ID), ScopeSet.parse("tickets:read", "scopes"),
                Optional.of(ScopeSet.parse("read", "allowedScopes")));

        try (TokenLease lease = broker.lease(request)) {
            assertThat(lease.token().scopes().asStrings()).containsExactly("tickets:read");
        }
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void unknownScopeIsRefusedWithoutAnyRequest() {
        assertThatThrownBy(() -> broker.lease(request("tickts:read")))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("did you mean 'tickets:read'?");
        assertThat(allRequests()).isZero();
    }

    @Test
    void emptyScopesAreRefusedWithoutAnyRequest() {
        assertThatThrownBy(() -> broker.lease(request(" ")))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("no scopes requested");
        assertThat(allRequests()).isZero();
        assertThat(ledger.entries()).isEmpty();
    }

    // ---------------------------------------------------------------- expiry

    @Test
    void aClientWhoseTokensNeverExpireMintsTokensWithoutExpiry() {
        long neverExpiring = 50340;
        env.zendesk.client(neverExpiring, "jenkins_before_2026_04_30").tokensNeverExpire(neverExpiring);
        try (TokenLease lease = broker.lease(request(new OAuthClientRef.ById(neverExpiring), ScopeSet.parse("read", "scopes"), Optional.empty()))) {
            assertThat(env.zendesk.token(lease.token().id()).orElseThrow().expiresAt()).isNull();
            assertThat(lease.token().expiresAt()).isEmpty();
        }
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    // ---------------------------------------------------------------- failed mints

    @Test
    void refusedMintLeavesNothingBehind() {
        LeaseRequest request = request(new OAuthClientRef.ById(EmulatedZendesk.LIMITED_CLIENT_ID), ScopeSet.parse("write", "scopes"), Optional.empty());

        assertThatThrownBy(() -> broker.lease(request)).isInstanceOf(ZendeskApiException.class).hasMessageContaining("HTTP 400 invalid_scope");
        assertThat(ledger.entries()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void mintWithUnknownOutcomeTwiceIsRecordedAsUncertainForReconciliation() {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 2, Fault.processThenStatus(500));

        assertThatThrownBy(() -> broker.lease(request("read"))).isInstanceOf(MintOutcomeUnknownException.class);

        assertThat(ledger.entries()).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.state()).isEqualTo(LedgerEntry.State.UNCERTAIN);
            assertThat(entry.tokenId()).isEmpty();
            assertThat(entry.clientId()).isEqualTo(CLIENT_ID);
            assertThat(entry.lastError()).hasValueSatisfying(e -> assertThat(e).contains("HTTP 500"));
        });
        assertThat(env.zendesk.liveTokenCount()).isEqualTo(2);
        assertThat(env.reconcile(broker.transport().admin(env.site, env.auth), CLIENT_ID)).isEqualTo(2);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void abortWhileMintingIsAnUnknownOutcomeAndKeepsTheInterrupt() throws Exception {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.delay(Duration.ofSeconds(20)));
        int issuedBefore = env.zendesk.issuedTokens().size();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                broker.lease(request("read")).close();
            } catch (Throwable t) {
                thrown.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        build.start();
        env.awaitIssuedTokens(issuedBefore + 1); // Zendesk has minted; the answer is still on its way
        build.interrupt();
        build.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(thrown.get()).isInstanceOf(MintOutcomeUnknownException.class).hasMessageContaining("interrupted");
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.UNCERTAIN));
        assertThat(env.reconcile(broker.transport().admin(env.site, env.auth), CLIENT_ID)).isEqualTo(1);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void closeOnAnInterruptedThreadStillRevokesAndKeepsTheInterrupt() throws Exception {
        AtomicReference<RevocationOutcome> outcome = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread build = new Thread(() -> {
            TokenLease lease = broker.lease(request("read"));
            Thread.currentThread().interrupt(); // the build is aborted while the block runs
            outcome.set(lease.revoke());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        build.start();
        build.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(outcome.get().revoked()).as("revoked despite the abort: %s", outcome.get()).isTrue();
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(ledger.entries()).isEmpty();
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void manyThreadsLeasingAtOnceLeaveNoTokenAndNeverShareOne() throws Exception {
        int threads = 16;
        int leasesPerThread = 50;
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        Set<String> values = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < leasesPerThread; i++) {
                        try (TokenLease lease = broker.lease(request("tickets:read"))) {
                            ids.add(lease.token().id());
                            values.add(lease.token().value().reveal());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(ids).hasSize(threads * leasesPerThread);
        assertThat(values).hasSize(threads * leasesPerThread);
        assertThat(env.zendesk.requestCount("POST", "/api/v2/oauth/tokens")).isEqualTo(threads * leasesPerThread);
        assertThat(env.zendesk.requestCount("DELETE", "/api/v2/oauth/tokens")).isEqualTo(threads * leasesPerThread);
        assertThat(env.zendesk.maxConcurrentRequests()).as("requests were really concurrent").isGreaterThan(1);
        assertThat(ledger.entries()).isEmpty();
        assertThat(events).hasSize(2 * threads * leasesPerThread);
        assertThat(env.zendesk.liveTokenCount()).isZero();
    }
}
