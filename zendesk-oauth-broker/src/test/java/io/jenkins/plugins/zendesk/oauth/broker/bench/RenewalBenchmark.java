package io.jenkins.plugins.zendesk.oauth.broker.bench;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ManualScheduler;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RenewalListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RenewingLease;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Reconciler;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Sleeper;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A renewing block lasting {@value #LIFETIMES} token lifetimes, on the emulator's movable clock: how many
 * tokens it mints and revokes, its peak of live tokens, and its round trips per generation, each
 * against its floor. Prints figures, asserts nothing about time.
 */
final class RenewalBenchmark {
    static final int LIFETIMES = 10;
    private static final long ADMIN_ID = 1;
    private static final String EMAIL = "bench-robot@example.com";
    private static final String API_TOKEN = "BenchApiT0ken0123456789abcdefGHIJKLMNOPq";
    private static final long CLIENT_ID = 50328;
    private static final AdminAuth AUTH = new AdminAuth.ApiToken(EMAIL, SecretValue.of(API_TOKEN));

    private RenewalBenchmark() {
    }

    static void run(List<Duration> latencies) throws Exception {
        System.out.printf(Locale.ROOT, "%n=== renewal: one block lasting %d token lifetimes, on the emulator's movable clock ===%n", LIFETIMES);
        System.out.printf(Locale.ROOT, "floors: tokens %d (one per lifetime, each used to its expiry), revocations = tokens minted, "
                + "round trips 2 per generation (mint + revoke), live tokens 1; bound on live tokens: 2%n", LIFETIMES);
        for (Duration latency : latencies) {
            for (Duration lifetime : List.of(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofHours(48))) {
                block(latency, lifetime);
            }
        }
    }

    private static void block(Duration latency, Duration lifetime) throws Exception {
        Path dir = Files.createTempDirectory("renewal-bench");
        try (ZendeskEmulator zendesk = ZendeskEmulator.start().admin(ADMIN_ID, EMAIL, API_TOKEN).client(CLIENT_ID, "jenkins_ci")
                .tokenLifetimeForTestsOnly(CLIENT_ID, lifetime)) {
            FileLeaseLedger ledger = new FileLeaseLedger(dir.resolve("ledger.json"), zendesk.clock());
            AtomicInteger peakLive = new AtomicInteger();
            ManualScheduler scheduler = new ManualScheduler(zendesk.clock(), zendesk::advanceClock)
                    .afterEachTask(() -> peakLive.accumulateAndGet(zendesk.liveTokenCount(), Math::max));
            RetryPolicy policy = RetryPolicy.defaults();
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(policy.requestTimeout())
                    .executor(ZendeskTransport.httpExecutor("HttpClient-bench-renewal", ZendeskTransport.HTTP_THREADS)).build();
            ZendeskTransport transport = new ZendeskTransport(http, policy, zendesk.clock(), Sleeper.system(), RandomGenerator.getDefault());
            TokenBroker broker = new TokenBroker(transport, ledger, LeaseListener.none(), scheduler, new Reconciler(transport, ledger));
            ZendeskSite site = ZendeskSite.parse(zendesk.baseUrl(), ZendeskSite.HostPolicy.ANY_HOST);
            LeaseRequest request = new LeaseRequest(site, AUTH, new OAuthClientRef.ById(CLIENT_ID), ScopeSet.parse("tickets:read", "scopes"),
                    Optional.empty(), "bench#renewal", "bench-credential");
            broker.lease(request).close(); // warm the connection: the block's first mint is not a cold start
            zendesk.latency(latency);
            zendesk.resetCounters();
            int issuedBefore = zendesk.issuedTokens().size();

            long start = System.nanoTime();
            RenewingLease lease = broker.leaseRenewing(request, RenewalListener.none());
            peakLive.accumulateAndGet(zendesk.liveTokenCount(), Math::max);
            Instant end = zendesk.now().plus(lifetime.multipliedBy(LIFETIMES));
            scheduler.advance(Duration.between(zendesk.now(), end));
            lease.revokeAll();
            long wall = System.nanoTime() - start;

            int generations = lease.current().number();
            int minted = zendesk.issuedTokens().size() - issuedBefore;
            int revokes = zendesk.requestCount("DELETE", "/api/v2/oauth/tokens");
            int roundTrips = zendesk.requestCount(null, "/");
            double wallPerGeneration = wall / 1e6 / generations;
            long l = latency.toMillis();
            System.out.printf(Locale.ROOT, "L = %d ms, lifetime %s: %d generations; mints %d = %.2f x floor; revocations %d = %.2f x mints; "
                            + "peak live %d = %.2f x floor (bound 2); round trips %d = %.2f per generation = %.2f x floor; "
                            + "broker wall time per generation %.2f ms%s; left live at Zendesk %d, in the ledger %d%n",
                    l, human(lifetime), generations, minted, minted / (double) LIFETIMES, revokes, revokes / (double) minted,
                    peakLive.get(), peakLive.get() / 1.0, roundTrips, roundTrips / (double) generations,
                    roundTrips / (double) generations / 2.0, wallPerGeneration,
                    l == 0 ? "" : String.format(Locale.ROOT, " = %.2f x 2*L", wallPerGeneration / (2.0 * l)),
                    zendesk.liveTokenCount(), ledger.entries().size());
            ledger.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String human(Duration d) {
        return d.toHours() > 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
