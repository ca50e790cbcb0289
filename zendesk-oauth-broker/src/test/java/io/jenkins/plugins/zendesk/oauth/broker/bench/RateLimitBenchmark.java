package io.jenkins.plugins.zendesk.oauth.broker.bench;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Reconciler;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Sweeper;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A burst of leases against the emulator's rate limit of R requests a minute: the whole burst (each
 * lease mints and revokes; what a block could not revoke at once the sweeper does) in Zendesk's time,
 * as a ratio to the floor, the windows that its requests need at R per window. Zendesk's time is the
 * emulator's clock, which the broker's pauses move forward instead of sleeping: minutes of windows
 * pass in seconds, and the time is the time a real controller would spend (HTTP exchanges included,
 * as they take real time on the same clock).
 */
final class RateLimitBenchmark {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RateLimitBenchmark() {
    }

    static void run(int leases, int perWindow, AdminAuth auth, ZendeskEmulatorSetup setup, long clientId) throws Exception {
        Path dir = Files.createTempDirectory("rate-bench");
        try (ZendeskEmulator zendesk = setup.start()) {
            zendesk.rateLimit(perWindow, WINDOW);
            Clock time = zendesk.clock();
            RetryPolicy policy = RetryPolicy.defaults().withDeadline(Duration.ofHours(1)); // Zendesk's time jumps while requests fly
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(policy.requestTimeout())
                    .executor(ZendeskTransport.httpExecutor("HttpClient-bench-rate" + perWindow, ZendeskTransport.HTTP_THREADS)).build();
            ZendeskTransport transport = new ZendeskTransport(http, policy, time, zendesk::advanceClock, new SplittableRandom(7));
            FileLeaseLedger ledger = new FileLeaseLedger(dir.resolve("ledger.json"), time);
            TokenBroker broker = new TokenBroker(transport, ledger, LeaseListener.none());
            ZendeskSite site = ZendeskSite.parse(zendesk.baseUrl(), ZendeskSite.HostPolicy.ANY_HOST);
            Sweeper sweeper = new Sweeper(broker, new Reconciler(transport, ledger, time, Reconciler.DEFAULT_SKEW), entry -> Optional.of(auth),
                    owner -> false, time, Sweeper.Options.defaults().withHostPolicy(ZendeskSite.HostPolicy.ANY_HOST));
            LeaseRequest request = new LeaseRequest(site, auth, new OAuthClientRef.ById(clientId), ScopeSet.parse("tickets:read", "scopes"),
                    Optional.empty(), "bench#1", "bench-credential");

            zendesk.advanceClock(Duration.between(zendesk.now(), zendesk.rateLimitWindowEnd())); // the burst starts with a window
            THREADS.resetPeakThreadCount();
            int threadsBefore = THREADS.getThreadCount();
            Instant start = time.instant();
            ExecutorService builds = Executors.newFixedThreadPool(leases);
            List<Future<Duration>> waits = new ArrayList<>();
            for (int i = 0; i < leases; i++) {
                waits.add(builds.submit(() -> {
                    Instant asked = time.instant();
                    try (TokenLease lease = broker.lease(request)) {
                        return Duration.between(asked, time.instant());
                    }
                }));
            }
            Duration longest = Duration.ZERO;
            int failed = 0;
            for (Future<Duration> wait : waits) {
                try {
                    Duration d = wait.get();
                    longest = d.compareTo(longest) > 0 ? d : longest;
                } catch (java.util.concurrent.ExecutionException e) {
                    failed++;
                }
            }
            builds.shutdown();
            Instant leased = time.instant();
            int sweeps = 0;
            while (!ledger.entries().isEmpty() && sweeps < 100) {
                sweeper.sweep();
                sweeps++;
                if (!ledger.entries().isEmpty()) {
                    zendesk.advanceClock(Duration.ofSeconds(1)); // let backoffs pass, as the periodic sweep would
                }
            }
            Duration total = Duration.between(start, time.instant());
            double floor = (2.0 * leases / perWindow) * WINDOW.toMillis();
            long windows = (total.toMillis() + WINDOW.toMillis() - 1) / WINDOW.toMillis();
            System.out.printf(Locale.ROOT, "rate limit R = %d requests a minute, burst of %d leases (%d requests): all done in %.0f s of "
                            + "Zendesk's time = %.2f x the floor (%.0f s); leases got their tokens within %.0f s, the sweeper revoked what "
                            + "blocks left in %d sweep(s); 429 answers %d in %d window(s); longest wait for a token %.0f s; failed leases %d; "
                            + "peak threads %d (%d before the burst, %d callers); live tokens left %d%n",
                    perWindow, leases, 2 * leases, total.toMillis() / 1000.0, total.toMillis() / floor, floor / 1000,
                    Duration.between(start, leased).toMillis() / 1000.0, sweeps, zendesk.rateLimitedAnswers(), windows,
                    longest.toMillis() / 1000.0, failed, THREADS.getPeakThreadCount(), threadsBefore, leases, zendesk.liveTokenCount());
            ledger.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A started emulator with the benchmark's admin and client. */
    @FunctionalInterface
    interface ZendeskEmulatorSetup {
        ZendeskEmulator start();
    }

    static AdminAuth apiToken(String email, String token) {
        return new AdminAuth.ApiToken(email, SecretValue.of(token));
    }
}
