package io.jenkins.plugins.zendesk.oauth.broker.bench;

import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditContext;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditLog;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditWriter;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Sleeper;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * Lease benchmark against the Zendesk emulator: prints figures, asserts nothing about time.
 * Run with {@code ./mvnw -q -DskipPlugin -Pbench -DskipTests verify}; options (through
 * {@code -Dbench.args="..."}): {@code sequential=200 concurrent=200 warmup=50 jit=2000 latencies=20,0}.
 *
 * <p>The emulator runs in the same JVM: process CPU and JVM thread counts include it, so the
 * figures below also name the broker's own share where it can be told apart.
 */
public final class LeaseBenchmark {
    private static final long ADMIN_ID = 1;
    private static final String EMAIL = "bench-robot@example.com";
    private static final String API_TOKEN = "BenchApiT0ken0123456789abcdefGHIJKLMNOPq";
    private static final long CLIENT_ID = 50328;
    private static final String CLIENT_IDENTIFIER = "jenkins_ci";
    private static final long CC_CLIENT_ID = 50400;
    private static final String CC_IDENTIFIER = "jenkins_cc";
    private static final String CC_SECRET = "BenchCl1entS3cret0123456789abcdefGHIJKLMN";
    private static final AdminAuth API_TOKEN_AUTH = new AdminAuth.ApiToken(EMAIL, SecretValue.of(API_TOKEN));
    private static final AdminAuth CLIENT_CREDENTIALS = new AdminAuth.ClientCredentials(CC_IDENTIFIER, SecretValue.of(CC_SECRET),
            AdminAuth.ClientCredentials.DEFAULT_LIFETIME);
    private static final ScopeSet SCOPES = ScopeSet.parse("tickets:read", "scopes");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Thread name prefix of the benchmark's HTTP executors; the JDK names its selector threads HttpClient-N-SelectorManager. */
    private static final String HTTP_EXECUTOR = "HttpClient-bench-";

    private final int sequential;
    private final int concurrent;
    private final int warmup;
    private final int jit;
    private final List<Duration> latencies;
    private final List<Integer> rates;
    private final boolean onlyRates;

    private LeaseBenchmark(Map<String, String> options) {
        sequential = Integer.parseInt(options.getOrDefault("sequential", "200"));
        concurrent = Integer.parseInt(options.getOrDefault("concurrent", "200"));
        warmup = Integer.parseInt(options.getOrDefault("warmup", "50"));
        jit = Integer.parseInt(options.getOrDefault("jit", "2000"));
        latencies = Arrays.stream(options.getOrDefault("latencies", "20,0").split(","))
                .map(ms -> Duration.ofMillis(Long.parseLong(ms.trim()))).toList();
        rates = Arrays.stream(options.getOrDefault("rates", "50,100,200").split(",")).map(r -> Integer.parseInt(r.trim())).toList();
        onlyRates = "ratelimit".equals(options.get("only"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            for (String word : arg.trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    options.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
        }
        new LeaseBenchmark(options).run();
        System.exit(0); // HttpClient and WireMock leave non-daemon threads behind
    }

    private void run() throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "Lease benchmark: %d cores, Java %s (%s), %s %s, max heap %d MiB%n", rt.availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"), rt.maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "sequential=%d (after %d warm-up) concurrent=%d latencies(ms)=%s jit=%d (leases at L=0 per broker "
                        + "first); ledger: FileLeaseLedger in %s%n", sequential, warmup, concurrent,
                latencies.stream().map(d -> Long.toString(d.toMillis())).toList(), jit, System.getProperty("java.io.tmpdir"));
        if (!onlyRates) {
            for (Duration latency : latencies) {
                runAt(latency);
            }
        }
        System.out.printf(Locale.ROOT, "%n=== Zendesk's rate limit: a burst of %d leases (rates=%s; only=ratelimit runs just this) ===%n",
                concurrent, rates);
        for (int rate : rates) {
            RateLimitBenchmark.run(concurrent, rate, API_TOKEN_AUTH,
                    () -> ZendeskEmulator.start().admin(ADMIN_ID, EMAIL, API_TOKEN).client(CLIENT_ID, CLIENT_IDENTIFIER), CLIENT_ID);
        }
        RenewalBenchmark.run(latencies);
    }

    private void runAt(Duration latency) throws Exception {
        long l = latency.toMillis();
        System.out.printf(Locale.ROOT, "%n=== emulator latency L = %d ms per request (2*L = %d ms per lease) ===%n", l, 2 * l);
        Path dir = Files.createTempDirectory("lease-bench");
        try (ZendeskEmulator zendesk = ZendeskEmulator.start().admin(ADMIN_ID, EMAIL, API_TOKEN).client(CLIENT_ID, CLIENT_IDENTIFIER)
                .confidentialClient(CC_CLIENT_ID, CC_IDENTIFIER, CC_SECRET, ADMIN_ID, null);
             CountingRelay relay = new CountingRelay(zendesk.port())) {
            zendesk.latency(latency);
            ZendeskSite direct = ZendeskSite.parse(zendesk.baseUrl(), ZendeskSite.HostPolicy.ANY_HOST);
            FileLeaseLedger fileLedger = new FileLeaseLedger(dir.resolve("ledger.json"), Clock.systemUTC());
            TimedLedger file = new TimedLedger(fileLedger, fileLedger::syncs);
            TimedLedger memory = new TimedLedger(new MemoryLedger(), () -> 0);
            // Executor names per broker and latency: idle threads of earlier phases are not counted as this one's.
            TokenBroker fileBroker = broker(file, "file" + l);
            TokenBroker memoryBroker = broker(memory, "memory" + l);
            FileLeaseLedger ccFileLedger = new FileLeaseLedger(dir.resolve("cc-ledger.json"), Clock.systemUTC());
            TimedLedger ccLedger = new TimedLedger(ccFileLedger, ccFileLedger::syncs);
            TokenBroker ccBroker = broker(ccLedger, "cc" + l);
            // The same file ledger wiring, plus the audit trail as production wires it (its own writer thread and files).
            FileLeaseLedger auditedFileLedger = new FileLeaseLedger(dir.resolve("audited-ledger.json"), Clock.systemUTC());
            TimedLedger audited = new TimedLedger(auditedFileLedger, auditedFileLedger::syncs);
            AuditWriter auditWriter = new AuditWriter(new AuditLog(dir.resolve("audit"), Clock.systemUTC(), () -> 90), "bench-audit");
            TokenBroker auditedBroker = broker(audited, "audited" + l, new AuditTrail(auditWriter, AuditContext.none()));

            jitWarmup(zendesk, List.of(fileBroker, memoryBroker, auditedBroker), direct, latency, API_TOKEN_AUTH);
            jitWarmup(zendesk, List.of(ccBroker), direct, latency, CLIENT_CREDENTIALS);
            lookups(zendesk, fileBroker, direct);
            double[] fileFigures = null;
            for (TimedLedger ledger : List.of(file, memory)) {
                String name = ledger == file ? "file ledger" : "memory ledger (baseline, not durable)";
                TokenBroker broker = ledger == file ? fileBroker : memoryBroker;
                System.out.printf(Locale.ROOT, "-- with the %s%n", name);
                double median = sequentialLeases(zendesk, broker, ledger, direct, l, API_TOKEN_AUTH);
                double total = concurrentLeases(zendesk, broker, ledger, direct, l, (ledger == file ? "file" : "memory") + l, API_TOKEN_AUTH);
                if (ledger == file) {
                    fileFigures = new double[] {median, total};
                }
                connections(relay, ledger == file ? () -> new FileLeaseLedger(dir.resolve("relay-ledger.json"), Clock.systemUTC())
                        : MemoryLedger::new);
            }
            auditTrail(zendesk, auditedBroker, audited, auditWriter, direct, l, fileFigures);
            clientCredentials(zendesk, ccBroker, ccLedger, direct, l);
            System.out.printf(Locale.ROOT, "live tokens left at Zendesk: %d; ledger entries left: %d%n", zendesk.liveTokenCount(),
                    file.entries().size() + memory.entries().size() + ccLedger.entries().size() + audited.entries().size());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---------------------------------------------------------------- phases

    /**
     * Leases at L = 0 through every broker before anything is measured, so that the JIT has
     * compiled the HTTP client, the emulator and the broker: else the first phase (the file
     * ledger's) pays for the compilation and the later (memory) phases look cheaper than they are.
     */
    private void jitWarmup(ZendeskEmulator zendesk, List<TokenBroker> brokers, ZendeskSite site, Duration latency, AdminAuth auth) {
        zendesk.latency(Duration.ZERO);
        for (TokenBroker broker : brokers) {
            for (int i = 0; i < jit; i++) {
                broker.lease(request(site, auth, new OAuthClientRef.ById(CLIENT_ID))).close();
            }
        }
        zendesk.latency(latency);
    }

    private static void lookups(ZendeskEmulator zendesk, TokenBroker broker, ZendeskSite site) {
        zendesk.resetCounters();
        broker.lease(request(site, API_TOKEN_AUTH, new OAuthClientRef.ByIdentifier(CLIENT_IDENTIFIER))).close();
        int first = zendesk.requestCount("GET", "/api/v2/oauth/clients");
        zendesk.resetCounters();
        broker.lease(request(site, API_TOKEN_AUTH, new OAuthClientRef.ByIdentifier(CLIENT_IDENTIFIER))).close();
        int second = zendesk.requestCount("GET", "/api/v2/oauth/clients");
        System.out.printf(Locale.ROOT, "OAuth client lookup round trips (client by identifier): first lease %d, second lease %d%n",
                first, second);
    }

    /** @return the median wall time per lease, in ms */
    private double sequentialLeases(ZendeskEmulator zendesk, TokenBroker broker, TimedLedger ledger, ZendeskSite site, long l,
                                    AdminAuth auth) {
        for (int i = 0; i < warmup; i++) {
            broker.lease(request(site, auth, new OAuthClientRef.ById(CLIENT_ID))).close();
        }
        ledger.reset();
        long[] wall = new long[sequential];
        long[] cpu = new long[sequential];
        long processCpuStart = processCpuNanos();
        long phaseStart = System.nanoTime();
        for (int i = 0; i < sequential; i++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            try (TokenLease lease = broker.lease(request(site, auth, new OAuthClientRef.ById(CLIENT_ID)))) {
                lease.token();
            }
            wall[i] = System.nanoTime() - start;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - cpuStart;
        }
        long phaseWall = System.nanoTime() - phaseStart;
        long processCpu = processCpuNanos() - processCpuStart;
        Arrays.sort(wall);
        Arrays.sort(cpu);
        double median = ms(percentile(wall, 50));
        double p95 = ms(percentile(wall, 95));
        System.out.printf(Locale.ROOT, "sequential mint+revoke, %d leases: wall per lease median %.2f ms, p95 %.2f ms, max %.2f ms; "
                        + "ratio to 2*L: median %s, p95 %s%n", sequential, median, p95, ms(wall[wall.length - 1]),
                ratio(median, l), ratio(p95, l));
        System.out.printf(Locale.ROOT, "  CPU per lease, calling thread: median %.3f ms, p95 %.3f ms; whole process (broker + in-process "
                + "emulator + HTTP client threads): %.3f ms%n", ms(percentile(cpu, 50)), ms(percentile(cpu, 95)),
                ms(processCpu / (double) sequential));
        double ledgerPerLease = ms(ledger.nanos() / (double) sequential);
        System.out.printf(Locale.ROOT, "  ledger: %d waited-for writes and %d unwaited removals per lease, %.2f ms waited per lease = "
                        + "%.0f%% of the mean lease wall time (%.2f ms); fsyncs per lease: %.2f on the critical path, %.2f in all%n",
                ledger.writes() / sequential, ledger.forgets() / sequential, ledgerPerLease,
                100 * ledgerPerLease / ms(phaseWall / (double) sequential), ms(phaseWall / (double) sequential),
                ledger.waitedSyncs() / (double) sequential, ledger.allSyncs() / (double) sequential);
        zendesk.resetCounters();
        return median;
    }

    /** @return the total wall time of the concurrent leases, in ms */
    private double concurrentLeases(ZendeskEmulator zendesk, TokenBroker broker, TimedLedger ledger, ZendeskSite site, long l,
                                    String label, AdminAuth auth) throws Exception {
        ledger.reset();
        zendesk.resetCounters();
        THREADS.resetPeakThreadCount();
        int threadsBefore = THREADS.getThreadCount();
        ThreadSampler sampler = new ThreadSampler();
        sampler.start();
        ExecutorService pool = Executors.newFixedThreadPool(concurrent, r -> new Thread(r, "lease-worker"));
        CountDownLatch ready = new CountDownLatch(concurrent);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> work = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            work.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                long start = System.nanoTime();
                try (TokenLease lease = broker.lease(request(site, auth, new OAuthClientRef.ById(CLIENT_ID)))) {
                    lease.token();
                }
                return System.nanoTime() - start;
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        long[] each = new long[concurrent];
        for (int i = 0; i < concurrent; i++) {
            each[i] = work.get(i).get(5, TimeUnit.MINUTES);
        }
        long total = System.nanoTime() - start;
        pool.shutdown();
        sampler.stop();
        Arrays.sort(each);
        System.out.printf(Locale.ROOT, "%d concurrent leases on %d platform threads: total wall %.1f ms = %s x 2*L; per lease median "
                        + "%.1f ms, p95 %.1f ms%n", concurrent, concurrent, ms(total), ratio(ms(total), l), ms(percentile(each, 50)),
                ms(percentile(each, 95)));
        System.out.printf(Locale.ROOT, "  peak concurrent requests seen by the emulator: %d; ledger: %d waited-for writes, mean %.2f ms "
                        + "waited per write (its group's fsync included), %d fsyncs in all%n", zendesk.maxConcurrentRequests(),
                ledger.writes(), ms(ledger.nanos() / (double) Math.max(1, ledger.writes())), ledger.allSyncs());
        System.out.printf(Locale.ROOT, "  threads: peak HTTP threads of this broker's client %d (its executor, bounded to %d, + 1 selector); "
                        + "JVM peak %d (before the phase %d; includes the in-process emulator's Jetty pool and idle threads of "
                        + "earlier phases); sampled peaks by kind: %s%n",
                sampler.peak(HTTP_EXECUTOR + label) + 1, ZendeskTransport.HTTP_THREADS, THREADS.getPeakThreadCount(), threadsBefore,
                sampler.peaks());
        return ms(total);
    }

    /**
     * The file ledger phase again with the audit trail listening: the lease only queues its events
     * (the writer thread formats, batches and syncs them), so the figures should match the file
     * ledger's of the same run.
     */
    private void auditTrail(ZendeskEmulator zendesk, TokenBroker broker, TimedLedger ledger, AuditWriter writer, ZendeskSite site, long l,
                            double[] withoutAudit) throws Exception {
        System.out.printf(Locale.ROOT, "-- with the file ledger and the audit trail listener on%n");
        double median = sequentialLeases(zendesk, broker, ledger, site, l, API_TOKEN_AUTH);
        double total = concurrentLeases(zendesk, broker, ledger, site, l, "audited" + l, API_TOKEN_AUTH);
        long queuedAt = System.nanoTime();
        writer.flush(Duration.ofMinutes(1));
        long lines = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.list(writer.log().dir())) {
            for (Path file : files.toList()) {
                lines += Files.readAllLines(file).size();
                bytes += Files.size(file);
            }
        }
        System.out.printf(Locale.ROOT, "  audit trail: %d records (%d bytes) written by its background writer; %.1f ms after the last "
                + "lease the queue was on disk%n", lines, bytes, ms(System.nanoTime() - queuedAt));
        System.out.printf(Locale.ROOT, "  audit on / off (same run, file ledger): sequential median %.2f / %.2f ms = %.2f; "
                + "%d concurrent total %.1f / %.1f ms = %.2f%n", median, withoutAudit[0], median / withoutAudit[0], concurrent, total,
                withoutAudit[1], total / withoutAudit[1]);
        writer.close();
    }

    /**
     * OAuth client credentials: the first lease also obtains the control token (grant and
     * {@code current.json}); every later one must cost the same two round trips as an API token
     * (mint and revoke), sequential or concurrent, with no further grant.
     */
    private void clientCredentials(ZendeskEmulator zendesk, TokenBroker broker, TimedLedger ledger, ZendeskSite site, long l)
            throws Exception {
        System.out.printf(Locale.ROOT, "-- with OAuth client credentials (file ledger)%n");
        broker.transport().controlTokens().revokeAll();
        zendesk.resetCounters();
        broker.lease(request(site, CLIENT_CREDENTIALS, new OAuthClientRef.ById(CLIENT_ID))).close();
        int first = zendesk.requestCount(null, "/");
        zendesk.resetCounters();
        sequentialLeases(zendesk, broker, ledger, site, l, CLIENT_CREDENTIALS);
        // sequentialLeases resets the counters after its phase: count a phase of its own for the round trips.
        for (int i = 0; i < sequential; i++) {
            broker.lease(request(site, CLIENT_CREDENTIALS, new OAuthClientRef.ById(CLIENT_ID))).close();
        }
        double perLease = zendesk.requestCount(null, "/") / (double) sequential;
        int sequentialGrants = zendesk.clientCredentialsGrants();
        concurrentLeases(zendesk, broker, ledger, site, l, "cc" + l, CLIENT_CREDENTIALS);
        int concurrentGrants = zendesk.clientCredentialsGrants();
        System.out.printf(Locale.ROOT, "  round trips: first lease %d (grant, current.json, mint, revoke); %.2f per lease after it; "
                        + "control token grants: %d in %d sequential leases, %d in %d concurrent leases%n",
                first, perLease, sequentialGrants, sequential, concurrentGrants, concurrent);
        broker.transport().controlTokens().revokeAll();
    }

    /** Same leases again through the counting relay: how many TCP connections the broker's HTTP client opens. */
    private void connections(CountingRelay relay, java.util.function.Supplier<LeaseLedger> ledger) throws Exception {
        ZendeskSite viaRelay = ZendeskSite.parse(relay.baseUrl(), ZendeskSite.HostPolicy.ANY_HOST);
        {
            TokenBroker broker = broker(ledger.get(), "relay");
            relay.reset();
            for (int i = 0; i < sequential; i++) {
                broker.lease(request(viaRelay, API_TOKEN_AUTH, new OAuthClientRef.ById(CLIENT_ID))).close();
            }
            int sequentialConnections = relay.connectionsOpened();
            relay.reset();
            ExecutorService pool = Executors.newFixedThreadPool(concurrent, r -> new Thread(r, "lease-worker"));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                work.add(pool.submit(() -> {
                    go.await();
                    broker.lease(request(viaRelay, API_TOKEN_AUTH, new OAuthClientRef.ById(CLIENT_ID))).close();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            System.out.printf(Locale.ROOT, "  TCP connections opened (separate run through a counting relay, fresh HttpClient): "
                            + "%d for %d sequential leases (%d requests), %d for %d concurrent leases (%d requests)%n",
                    sequentialConnections, sequential, 2 * sequential, relay.connectionsOpened(), concurrent, 2 * concurrent);
        }
    }

    // ---------------------------------------------------------------- wiring

    /** Wired as production wires it: one shared HttpClient that never follows redirects, a bounded executor, default retry policy. */
    private static TokenBroker broker(LeaseLedger ledger, String label) {
        return broker(ledger, label, LeaseListener.none());
    }

    private static TokenBroker broker(LeaseLedger ledger, String label, LeaseListener listener) {
        RetryPolicy policy = RetryPolicy.defaults();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(policy.requestTimeout())
                .executor(ZendeskTransport.httpExecutor(HTTP_EXECUTOR + label, ZendeskTransport.HTTP_THREADS)).build();
        ZendeskTransport transport = new ZendeskTransport(http, policy, Clock.systemUTC(), Sleeper.system(), RandomGenerator.getDefault());
        return new TokenBroker(transport, ledger, listener);
    }

    private static LeaseRequest request(ZendeskSite site, AdminAuth auth, OAuthClientRef client) {
        return new LeaseRequest(site, auth, client, SCOPES, Optional.empty(), "bench#1", "bench-credential");
    }

    // ---------------------------------------------------------------- figures

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(double nanos) {
        return nanos / 1_000_000.0;
    }

    private static String ratio(double millis, long l) {
        return l == 0 ? "n/a (L = 0)" : String.format(Locale.ROOT, "%.2f", millis / (2.0 * l));
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** Samples live threads by name every 5 ms and keeps the peak count of each kind. */
    private static final class ThreadSampler {
        private final Map<String, Integer> peaks = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::loop, "bench-sampler");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        String peaks() {
            return new java.util.TreeMap<>(peaks).toString();
        }

        int peak(String kind) {
            return peaks.getOrDefault(kind, 0);
        }

        private void loop() {
            while (running.get()) {
                Map<String, Integer> now = new LinkedHashMap<>();
                for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
                    if (info != null) {
                        now.merge(kind(info.getThreadName()), 1, Integer::sum);
                    }
                }
                now.forEach((k, v) -> peaks.merge(k, v, Math::max));
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static String kind(String name) {
            if (name.startsWith("lease-worker")) {
                return "callers (lease-worker)";
            }
            if (name.startsWith(HTTP_EXECUTOR)) {
                return name.substring(0, name.lastIndexOf('-')); // one kind per broker: HttpClient-bench-<label>
            }
            if (name.startsWith("HttpClient")) {
                return "JDK HttpClient selectors (all clients)";
            }
            if (name.startsWith("Zendesk token ledger writer")) {
                return "ledger writer";
            }
            if (name.startsWith("qtp") || name.contains("Jetty") || name.contains("jetty")) {
                return "emulator (Jetty)";
            }
            return "other";
        }
    }
}
