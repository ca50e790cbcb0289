package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseObserver;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RateLimitProbe;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Sleeper;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransportException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zendesk's account-wide rate limit (emulated: {@link #LIMIT} requests per minute) shared by many
 * leases. Time is the emulator's: the broker reads its clock, and the broker's pauses move it
 * forward instead of sleeping, so minutes of rate limit windows pass in moments.
 */
class RateLimitTest {
    private static final int LIMIT = 50;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final String OWNER = "folder/job#7";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(() -> EmulatedZendesk.startEmulator().rateLimit(LIMIT, WINDOW));
    @TempDir
    Path dir;
    private EmulatedZendesk env;
    private Clock zendeskTime;
    private FileLeaseLedger ledger;
    private TokenBroker broker;
    /** Whether {@link #zendeskPaces()} may move Zendesk's clock itself rather than wait for the test to. */
    private volatile boolean released;

    @BeforeEach
    void start() {
        env = new EmulatedZendesk(zendesk.emulator());
        zendeskTime = env.zendesk.clock();
        broker = brokerWith(duration -> env.zendesk.advanceClock(duration));
    }

    /**
     * Pauses in Zendesk's time: until the test moves its clock far enough, or, once {@link #released},
     * by moving it.
     */
    private Sleeper zendeskPaces() {
        return duration -> {
            Instant until = env.zendesk.now().plus(duration);
            while (env.zendesk.now().isBefore(until)) {
                if (released) {
                    env.zendesk.advanceClock(Duration.between(env.zendesk.now(), until));
                    return;
                }
                Thread.sleep(5);
            }
        };
    }

    private TokenBroker brokerWith(Sleeper sleeper) {
        if (ledger != null) {
            ledger.close();
        }
        ledger = new FileLeaseLedger(dir.resolve("ledger.json"), zendeskTime);
        // Zendesk's time jumps while requests fly: give them an hour of it.
        ZendeskTransport transport = new ZendeskTransport(EmulatedZendesk.HTTP, POLICY.withDeadline(Duration.ofHours(1)), zendeskTime,
                sleeper, new SplittableRandom(3));
        return new TokenBroker(transport, ledger, event -> { });
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private LeaseRequest request() {
        return new LeaseRequest(env.site, env.auth, new OAuthClientRef.ById(CLIENT_ID), ScopeSet.parse("tickets:read", "scopes"),
                Optional.empty(), OWNER, "zendesk-admin");
    }

    private Sweeper sweeper() {
        return new Sweeper(broker, new Reconciler(broker.transport(), ledger, zendeskTime, Reconciler.DEFAULT_SKEW),
                entry -> Optional.of(env.auth), owner -> false, zendeskTime,
                Sweeper.Options.defaults().withHostPolicy(ZendeskSite.HostPolicy.ANY_HOST));
    }

    /** What one lease got: how long it waited for its token, in Zendesk's time, and the token's id. */
    private record Leased(Duration waited, Instant mintedAt) {
    }

    /** A lease that waits as a build does, revoked at once. */
    private Leased leaseAndRevoke(List<String> heard) {
        Instant start = zendeskTime.instant();
        Admission admission = Admission.build().observedBy((origin, expected, ahead) ->
                heard.add("waiting " + expected.toSeconds() + " s (" + ahead + " requests ahead)"));
        try (TokenLease lease = broker.lease(request(), admission, LeaseObserver.none())) {
            Instant minted = zendeskTime.instant();
            return new Leased(Duration.between(start, minted), minted);
        }
    }

    @Test
    void twoHundredConcurrentLeasesUnderTheLimitAllSucceedFairlyAndLeaveNothingLive() throws Exception {
        int leases = 200;
        env.zendesk.rateLimit(2 * LIMIT, WINDOW); // 400 requests at 100 a minute: 4 windows, well within the 10-minute wait
        Instant start = zendeskTime.instant();
        List<String> heard = new CopyOnWriteArrayList<>();
        ExecutorService builds = Executors.newFixedThreadPool(leases);
        List<Duration> waits = new ArrayList<>();
        try {
            List<Future<Leased>> results = new ArrayList<>();
            for (int i = 0; i < leases; i++) {
                results.add(builds.submit(() -> leaseAndRevoke(heard)));
            }
            for (Future<Leased> result : results) {
                waits.add(result.get(5, TimeUnit.MINUTES).waited()); // a hang guard, not a timing assertion
            }
        } finally {
            builds.shutdownNow();
        }
        long leaseWindows = Duration.between(start, zendeskTime.instant()).toNanos() / WINDOW.toNanos() + 1;
        // Revocations that could not wait at the end of their block are the sweeper's.
        sweepUntilSettled();
        long windows = Duration.between(start, zendeskTime.instant()).toNanos() / WINDOW.toNanos() + 1;

        assertThat(env.zendesk.liveTokenCount()).isZero();
        assertThat(ledger.entries()).isEmpty();
        assertThat(env.zendesk.issuedTokens()).hasSize(leases);
        assertThat(leaseWindows).as("200 mints and the revocations that fit, at 100 requests a minute").isBetween(2L, 8L);
        // The goal is at most one per window (the benchmark's figure). Zendesk's time also runs with the real clock here, and on a
        // starved machine requests in flight cross window boundaries the broker has not seen yet: allow a few, never a herd.
        assertThat(env.zendesk.rateLimitedAnswers()).as("429 answers, a few per window at most").isLessThanOrEqualTo(3 * (int) windows);
        assertThat(heard).as("builds are told they wait").isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("waiting \\d+ s \\(\\d+ requests ahead\\)"));
        // Served in order, a lease waits for those ahead of it: the last waits about the whole run, no longer.
        Duration longest = waits.stream().max(Duration::compareTo).orElseThrow();
        assertThat(longest).isLessThanOrEqualTo(WINDOW.multipliedBy(windows));
    }

    @Test
    void leasesAreServedInTheOrderTheyCameAndNoneWaitsMoreThanTwoWindowsLongerThanTheFastest() throws Exception {
        // 30 leases, 60 requests: at 50 a minute they need 2 windows; the account's other integrations used this one up.
        env.zendesk.consumeRateLimit(LIMIT);
        broker = brokerWith(zendeskPaces());
        String origin = env.site.toString();
        List<String> heard = new CopyOnWriteArrayList<>();
        List<Future<Leased>> results = new ArrayList<>();
        ExecutorService builds = Executors.newFixedThreadPool(30);
        List<Leased> leased = new ArrayList<>();
        try {
            // The first lease probes and learns of the 429 and its Retry-After; the others queue behind it, in order.
            for (int i = 0; i < 30; i++) {
                results.add(builds.submit(() -> leaseAndRevoke(heard)));
                awaitQueued(origin, i + 1);
            }
            released = true;
            for (Future<Leased> result : results) {
                leased.add(result.get(5, TimeUnit.MINUTES)); // a hang guard
            }
        } finally {
            builds.shutdownNow();
        }
        List<Duration> waits = leased.stream().map(Leased::waited).toList();
        Duration fastest = waits.stream().min(Duration::compareTo).orElseThrow();
        Duration slowest = waits.stream().max(Duration::compareTo).orElseThrow();
        assertThat(slowest.minus(fastest)).isLessThanOrEqualTo(WINDOW.multipliedBy(2).plusSeconds(10));
        assertThat(heard).isNotEmpty();
        assertThat(env.zendesk.rateLimitedAnswers()).isLessThanOrEqualTo(2);
        sweepUntilSettled();
    }

    /** Runs the sweeper, as Jenkins does when runs end and then periodically, until the ledger is empty. */
    private void sweepUntilSettled() {
        released = true;
        Sweeper sweeper = sweeper();
        for (int sweep = 0; sweep < 30 && !ledger.entries().isEmpty(); sweep++) {
            sweeper.sweep();
            env.zendesk.advanceClock(WINDOW);
        }
        assertThat(ledger.entries()).isEmpty();
    }

    /** Waits (in real time) until {@code ahead} calls wait for the site, or the first call has been refused. */
    private void awaitQueued(String origin, int ahead) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (RateLimitProbe.waiting(broker.transport(), origin) < Math.max(1, ahead) && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
    }

    @Test
    void abortWhileWaitingEndsTheWaitAtOnceWithNothingLive() throws Exception {
        env.zendesk.consumeRateLimit(LIMIT);
        broker = brokerWith(zendeskPaces()); // a wait that only the abort ends: nobody moves the clock
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                broker.lease(request()).close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        build.start();
        awaitQueued(env.site.toString(), 1);
        build.interrupt();
        build.join(TimeUnit.SECONDS.toMillis(30)); // a hang guard

        assertThat(build.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(ZendeskTransportException.class)
                .hasMessageContaining("interrupted while waiting for Zendesk's rate limit").hasMessageContaining("nothing was sent");
        assertThat(env.zendesk.issuedTokens()).isEmpty();
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void pastTheCapTheLeaseFailsNamingTheLimitAndTheSetting() {
        env.zendesk.consumeRateLimit(LIMIT);
        // The window ends in up to a minute; this build may wait 0 s beyond the probe that finds out.
        Admission capped = Admission.build().withMaxWait(Duration.ZERO, "Manage Jenkins > System > Zendesk OAuth token");

        assertThatThrownBy(() -> broker.lease(request(), capped, LeaseObserver.none()))
                .isInstanceOfSatisfying(ZendeskApiException.class, e -> assertThat(e.reason()).isEqualTo(ZendeskApiException.Reason.RATE_LIMITED))
                .hasMessageContaining("Zendesk's rate limit on " + env.site)
                .hasMessageContaining("50 requests a minute for the whole account")
                .hasMessageContaining("the longest wait allowed (Manage Jenkins > System > Zendesk OAuth token)");
        assertThat(env.zendesk.issuedTokens()).isEmpty();
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void revocationUnderTheLimitLeavesTheTokenPendingForTheSweeper() {
        TokenLease lease = broker.lease(request());
        env.zendesk.consumeRateLimit(LIMIT);
        Instant blockEnds = zendeskTime.instant();

        RevocationOutcome outcome = lease.revoke();

        assertThat(outcome.revoked()).isFalse();
        assertThat(Duration.between(blockEnds, zendeskTime.instant())).as("the block end waited at most a few seconds")
                .isLessThanOrEqualTo(Admission.REVOCATION_MAX_WAIT);
        assertThat(ledger.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);
            assertThat(entry.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith(TokenBroker.RATE_LIMIT_PENDING));
        });
        assertThat(env.zendesk.liveTokenCount()).isEqualTo(1);

        env.zendesk.advanceClock(Duration.between(env.zendesk.now(), env.zendesk.rateLimitWindowEnd()).plusSeconds(1));
        SweepReport report = sweeper().sweep();

        assertThat(report.revoked()).as("the sweeper revokes it as soon as the budget allows").isEqualTo(1);
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void aDroppedMintIsRetriedOnceAndTheOrphanReconciled() {
        // The orphans must still be live when reconciliation runs, past the mint's window: the longest lifetime Zendesk allows.
        env.zendesk.tokenLifetime(CLIENT_ID, Duration.ofHours(48));
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.processThenReset());
        List<String> retried = new CopyOnWriteArrayList<>();

        try (TokenLease lease = broker.lease(request(), Admission.build(), retried::add)) {
            assertThat(env.zendesk.liveTokenIds()).hasSize(2).contains(lease.token().id());
            assertThat(ledger.entries()).extracting(LedgerEntry::state)
                    .containsExactlyInAnyOrder(LedgerEntry.State.UNCERTAIN, LedgerEntry.State.LIVE);
        }
        assertThat(retried).singleElement().satisfies(why -> assertThat(why).contains("connection failed"));

        // Past the first mint's window, reconciliation finds and revokes its token.
        env.zendesk.advanceClock(Duration.ofHours(1).plus(Reconciler.DEFAULT_SKEW).plusMinutes(1));
        SweepReport report = sweeper().sweep();

        assertThat(report.reconciled()).isEqualTo(1);
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void aMintDroppedTwiceFailsClearlyAndTheLedgerCoversBoth() {
        // The orphans must still be live when reconciliation runs, past the mint's window: the longest lifetime Zendesk allows.
        env.zendesk.tokenLifetime(CLIENT_ID, Duration.ofHours(48));
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 2, Fault.processThenReset());

        assertThatThrownBy(() -> broker.lease(request()))
                .isInstanceOf(MintOutcomeUnknownException.class)
                .hasMessageContaining("The outcome of two mints in a row is unknown")
                .hasMessageContaining("First:").hasMessageContaining("Second:");

        assertThat(env.zendesk.liveTokenCount()).isEqualTo(2);
        assertThat(ledger.entries()).hasSize(2).allSatisfy(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.UNCERTAIN));

        env.zendesk.advanceClock(Duration.ofHours(1).plus(Reconciler.DEFAULT_SKEW).plusMinutes(1));
        sweeper().sweep();

        assertThat(ledger.entries()).isEmpty();
    }
}
