package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many leases at once with revocations failing at random: one sweep afterwards still leaves nothing live.
 * The ledger is on the real temporary disk: each change is an fsynced rewrite, which bounds the rate.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LeaseStressTest {
    private static final int LEASES = 1000;
    private static final int THREADS = 16;

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ZendeskEmulator::start);
    @TempDir
    Path dir;

    @Test
    void thousandLeasesWithRandomRevokeFailuresEndWithNothingLive() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom seeds = new SplittableRandom(seed);
        Harness h = new Harness(dir, zendesk.emulator());
        // One attempt per call, so each injected 503 is one failed revocation left to the sweeper.
        TokenBroker broker = h.broker(Harness.fastPolicy().withMaxAttempts(1));
        AtomicInteger failedRevocations = new AtomicInteger();
        AtomicInteger abandoned = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = seeds.split();
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = thread; i < LEASES; i += THREADS) {
                    TokenLease lease = broker.lease(h.request("job#" + i));
                    if (random.nextInt(10) == 0) {
                        // Make some DELETE (not necessarily ours) fail 1 to 3 times.
                        h.zendesk.failNext("DELETE", "/api/v2/oauth/tokens/", 1 + random.nextInt(3), Fault.status(503));
                    }
                    if (random.nextInt(50) == 0) {
                        abandoned.incrementAndGet(); // the owner died without revoking
                        continue;
                    }
                    RevocationOutcome outcome = lease.revoke();
                    if (!outcome.revoked()) {
                        failedRevocations.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(100, TimeUnit.SECONDS)).isTrue();
        for (Future<?> f : done) {
            f.get();
        }
        long leasedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int leftInLedger = broker.ledger().entries().size();
        int liveBefore = h.zendesk.liveTokenCount();
        h.zendesk.clearFaults();

        long sweepStart = System.nanoTime();
        SweepReport report = h.sweeper(broker, owner -> false).sweep();
        long sweepMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sweepStart);

        System.out.printf("seed %d: %d leases on %d threads in %d ms; %d revocations failed, %d abandoned; "
                        + "%d ledger entries and %d live tokens before the sweep, swept in %d ms: %s%n",
                seed, LEASES, THREADS, leasedMillis, failedRevocations.get(), abandoned.get(), leftInLedger, liveBefore,
                sweepMillis, report);
        assertThat(h.zendesk.issuedTokens()).as("seed %d", seed).hasSize(LEASES);
        assertThat(leftInLedger).as("seed %d", seed).isEqualTo(failedRevocations.get() + abandoned.get());
        assertThat(report.isComplete()).as("seed %d: %s", seed, report).isTrue();
        assertThat(report.revoked()).as("seed %d", seed).isEqualTo(liveBefore);
        assertThat(h.zendesk.liveTokenCount()).as("seed %d", seed).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
        assertThat(h.openLedger().entries()).isEmpty();
        h.assertNoSecretsInLedgerFile();
    }
}
