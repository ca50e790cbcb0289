package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What aborts, timeouts and failFast siblings do to a busy controller: many threads lease while
 * another thread interrupts them at random instants (before, during and after ledger writes,
 * during mints and revocations). The ledger must always parse, say only true things, and one
 * sweep must leave nothing live.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LeaseInterruptStressTest {
    private static final int LEASES = 1000;
    private static final int THREADS = 12;

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ZendeskEmulator::start);
    @TempDir
    Path dir;

    @Test
    void randomInterruptsNeverBreakTheLedgerAndOneSweepLeavesNothingLive() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom seeds = new SplittableRandom(seed);
        Harness h = new Harness(dir, zendesk.emulator());
        h.zendesk.latency(Duration.ofMillis(1)); // so that interrupts also land inside mints and revocations
        // Compacts often, so that interrupts also land inside compactions.
        FileLeaseLedger ledger = new FileLeaseLedger(h.ledgerFile, h.clock, 64, FileLeaseLedger.Probe.NONE);
        TokenBroker broker = new TokenBroker(Harness.transport(Harness.fastPolicy(), h.clock), ledger, LeaseListener.none());
        List<String> messages = new CopyOnWriteArrayList<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger leased = new AtomicInteger();
        AtomicInteger abandoned = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(THREADS);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = seeds.split();
            Thread worker = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < LEASES; i = next.getAndIncrement()) {
                        Thread.interrupted(); // each lease starts clean, as a new block would
                        try {
                            TokenLease lease = broker.lease(h.request("job#" + i));
                            leased.incrementAndGet();
                            if (random.nextInt(40) == 0) {
                                abandoned.incrementAndGet(); // the owner died without revoking
                                continue;
                            }
                            lease.revoke();
                        } catch (ZendeskException e) {
                            messages.add(String.valueOf(e.getMessage()));
                            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                        } catch (RuntimeException | Error e) {
                            unexpected.add(e);
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "lease-worker-" + t);
            workers.add(worker);
        }
        workers.forEach(Thread::start);

        SplittableRandom random = seeds.split();
        int interrupts = 0;
        int parses = 0;
        while (finished.getCount() > 0) {
            workers.get(random.nextInt(THREADS)).interrupt();
            interrupts++;
            LockSupport.parkNanos(random.nextLong(6_000_000));
            if (interrupts % 25 == 0) {
                // What a process killed now would leave: it must load (the write in progress may be torn at its end only).
                new FileLeaseLedger(h.ledgerFile, h.clock).entries();
                parses++;
            }
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(unexpected).as("seed %d", seed).isEmpty();
        assertThat(messages).as("seed %d", seed).allSatisfy(m -> assertThat(m).isNotEqualTo("null").doesNotContain(": null"));

        List<LedgerEntry> left = broker.ledger().entries();
        Set<Long> live = h.zendesk.liveTokenIds();
        System.out.printf("seed %d: %d leases on %d threads, %d interrupts, %d loads while running; %d leased, %d abandoned, "
                        + "failures %s; %d ledger entries and %d live tokens before the sweep%n",
                seed, LEASES, THREADS, interrupts, parses, leased.get(), abandoned.get(), failures, left.size(), live.size());
        assertTruthful(h, left, live, seed);
        // The files catch up with memory once the last removals, which nobody waits for, are written.
        for (int i = 0; i < 500 && !new FileLeaseLedger(h.ledgerFile, h.clock).entries().equals(left); i++) {
            Thread.sleep(10);
        }
        assertThat(new FileLeaseLedger(h.ledgerFile, h.clock).entries()).as("seed %d", seed).containsExactlyElementsOf(left);

        h.letMintsGoStale(broker);
        SweepReport report = h.sweeper(broker, owner -> false).sweep();
        assertThat(report.isComplete()).as("seed %d: %s", seed, report).isTrue();
        assertThat(h.zendesk.liveTokenCount()).as("seed %d: %s", seed, report).isZero();
        assertThat(broker.ledger().entries()).as("seed %d", seed).isEmpty();
        ledger.close();
        assertThat(h.openLedger().entries()).as("seed %d", seed).isEmpty();
        h.assertNoSecretsInLedgerFile();
    }

    /**
     * A LIVE entry names a live token with the entry's scopes (a REVOKE_PENDING one a token that
     * may be gone already); an entry without a token id is still
     * minting or uncertain; and every live token is named by an entry or may be one of those.
     */
    private static void assertTruthful(Harness h, List<LedgerEntry> entries, Set<Long> live, long seed) {
        Set<Long> named = entries.stream().flatMap(e -> e.tokenId().stream()).collect(Collectors.toSet());
        for (LedgerEntry e : entries) {
            if (e.tokenId().isPresent()) {
                assertThat(e.state()).as("seed %d: %s", seed, e).isIn(LedgerEntry.State.LIVE, LedgerEntry.State.REVOKE_PENDING);
                IssuedToken token = h.zendesk.token(e.tokenId().get()).orElseThrow();
                if (e.state() == LedgerEntry.State.LIVE) {
                    assertThat(token.live()).as("seed %d: %s", seed, e).isTrue();
                } // REVOKE_PENDING: the revocation's outcome is unknown (its DELETE was interrupted), the token may be gone
                assertThat(token.scopes()).as("seed %d: %s", seed, e).containsExactlyInAnyOrderElementsOf(e.scopes());
            } else {
                assertThat(e.state()).as("seed %d: %s", seed, e).isIn(LedgerEntry.State.MINTING, LedgerEntry.State.UNCERTAIN);
            }
        }
        long unnamed = live.stream().filter(id -> !named.contains(id)).count();
        long unknown = entries.stream().filter(e -> e.tokenId().isEmpty()).count();
        assertThat(unnamed).as("seed %d: live tokens no entry names, against entries that may be them", seed).isLessThanOrEqualTo(unknown);
    }
}
