package io.jenkins.plugins.zendesk.oauth.broker.lease;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.FaultPlan;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Renewal when things go wrong: an end during a renewal, failed renewals, a controller restart. */
class RenewalRecoveryTest {
    private static final String MINT_PATH = "/api/v2/oauth/tokens";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(EmulatedZendesk::startEmulator);
    @TempDir
    Path dir;
    private RenewalHarness h;
    private ScriptedLedger scripted;

    @AfterEach
    void closeLedger() {
        if (h != null) {
            h.close();
        }
    }

    private void start() {
        h = new RenewalHarness(dir, zendesk.emulator(), ledger -> scripted = new ScriptedLedger(ledger));
    }

    @Test
    void anEndDuringARenewalRevokesTheTokenBeingMintedToo() throws Exception {
        start();
        RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals);
        TokenGeneration first = lease.current();
        scripted.pauseNextRenewalRecord();
        Thread renewal = new Thread(h.scheduler::runNext, "renewal");
        renewal.start();
        scripted.awaitPaused(); // Zendesk minted generation 2; the ledger is recording it
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(2);

        AtomicReference<List<RevocationOutcome>> end = new AtomicReference<>();
        Thread ender = new Thread(() -> end.set(lease.revokeAll()), "block end");
        ender.start();
        awaitWaiting(ender); // the end waits for the renewal in flight
        scripted.release();
        renewal.join();
        ender.join();

        List<IssuedToken> issued = h.zendesk.issuedTokens();
        long second = issued.get(issued.size() - 1).id();
        assertThat(end.get()).extracting(RevocationOutcome::tokenId).containsExactly(first.token().id(), second);
        assertThat(end.get()).allMatch(RevocationOutcome::revoked);
        assertThat(h.renewals.renewed).as("a block that is ending is not handed a new token").isEmpty();
        assertThat(h.events).as("the audit trail names the token all the same")
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(LeaseEvent.Renewed.class, r -> assertThat(r.tokenId()).isEqualTo(second)));
        assertThat(h.ledger.entries()).isEmpty();
        assertThat(h.scheduler.pending()).isZero();
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
    }

    static Stream<Arguments> faults() {
        return Stream.of(Arguments.of("429", Fault.rateLimited(30)), Arguments.of("503", Fault.status(503)),
                Arguments.of("502 HTML", Fault.html(502)), Arguments.of("connection reset", Fault.connectionReset()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFailedRenewalIsRetriedWithGrowingBackoffThenRecovers(String name, Fault fault) throws Exception {
        start();
        try (RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals)) {
            FaultPlan plan = h.zendesk.failNext("POST", MINT_PATH, 1000, fault);
            Instant renewAt = h.scheduler.nextDue().orElseThrow();
            for (int i = 0; i < 3; i++) {
                h.scheduler.runNext();
            }
            plan.cancel();

            assertThat(h.renewals.failed).hasSize(3).allSatisfy(f -> {
                assertThat(f.generation()).isEqualTo(1);
                assertThat(f.error()).isNotBlank();
            });
            // A twentieth of 30 minutes (at most 30 s), doubling: each attempt ran when the previous failure said.
            Duration slack = Duration.ofSeconds(2);
            List<Instant> next = h.renewals.failed.stream().map(RenewalHarness.Renewals.Failure::nextAttempt).toList();
            assertThat(Duration.between(renewAt, next.get(0))).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(30).plus(slack));
            assertThat(Duration.between(next.get(0), next.get(1))).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(60).plus(slack));
            assertThat(Duration.between(next.get(1), next.get(2))).isBetween(Duration.ofSeconds(120), Duration.ofSeconds(120).plus(slack));
            assertThat(lease.current().number()).isEqualTo(1);
            assertThat(h.use(lease.current())).isEqualTo(200);
            assertThat(h.zendesk.liveTokenCount()).as("a failed renewal leaves no token").isEqualTo(1);
            // Failures whose outcome was unknown stay for reconciliation, linked to the block.
            assertThat(h.ledger.entries()).filteredOn(e -> e.state() != LedgerEntry.State.LIVE)
                    .allSatisfy(e -> assertThat(e.blockId()).isEqualTo(lease.blockId()));

            h.scheduler.runNext();
            assertThat(lease.current().number()).isEqualTo(2);
            assertThat(h.use(lease.current())).isEqualTo(200);
            assertThat(h.renewals.renewed).hasSize(1);
        }
    }

    @Test
    void aRenewalWhoseAnswerWasLostIsReconciledBeforeTheBlockMintsAgain() throws Exception {
        start();
        try (RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals)) {
            h.zendesk.failNext("POST", MINT_PATH, 1, Fault.processThenStatus(500)); // minted, answer lost
            h.scheduler.runNext();
            List<IssuedToken> issued = h.zendesk.issuedTokens();
            long lost = issued.get(issued.size() - 1).id();
            assertThat(h.zendesk.liveTokenCount()).isEqualTo(2);
            assertThat(h.blockEntries(lease.blockId())).filteredOn(e -> e.state() == LedgerEntry.State.UNCERTAIN).singleElement()
                    .satisfies(e -> assertThat(e.generation()).isEqualTo(2));
            assertThat(h.renewals.failed).singleElement().satisfies(f -> assertThat(f.error()).contains("500"));

            h.scheduler.runNext(); // settles the lost mint (revokes its token), then renews

            assertThat(h.zendesk.token(lost).orElseThrow().revoked()).as("the token of the lost answer").isTrue();
            assertThat(lease.current().number()).isEqualTo(2);
            assertThat(h.use(lease.current())).isEqualTo(200);
            assertThat(h.zendesk.liveTokenCount()).isEqualTo(2); // generation 1 in its grace, generation 2
            assertThat(h.blockEntries(lease.blockId())).allSatisfy(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.LIVE));
        }
        assertThat(h.peakLive()).isEqualTo(2);
    }

    @Test
    void renewalKeepsTryingAfterTheCurrentTokenExpiredAndBackoffIsCapped() throws Exception {
        start();
        Duration lifetime = Duration.ofMinutes(5);
        h.zendesk.tokenLifetime(CLIENT_ID, lifetime);
        try (RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals)) {
            TokenGeneration first = lease.current();
            FaultPlan plan = h.zendesk.failNext("POST", MINT_PATH, 1000, Fault.status(503));
            while (h.zendesk.now().isBefore(first.token().expiresAt().orElseThrow().plus(Duration.ofMinutes(3)))) {
                h.scheduler.runNext();
            }
            assertThat(h.use(first)).as("expired").isEqualTo(401);
            List<RenewalHarness.Renewals.Failure> failed = h.renewals.failed;
            assertThat(failed.size()).isGreaterThan(4);
            for (int i = 1; i < failed.size(); i++) {
                assertThat(Duration.between(failed.get(i - 1).nextAttempt(), failed.get(i).nextAttempt()))
                        .as("backoff capped at a sixth of the lifetime").isLessThanOrEqualTo(lifetime.dividedBy(6).plusSeconds(1));
            }
            plan.cancel();

            h.scheduler.runNext();
            assertThat(lease.current().number()).isEqualTo(2);
            assertThat(h.use(lease.current())).as("a script re-reading the token recovers").isEqualTo(200);
        }
    }

    @Test
    void aLedgerFailureDuringRenewalIsReportedAndRetried() throws Exception {
        start();
        try (RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals)) {
            scripted.failIntents(1);
            h.scheduler.runNext();
            assertThat(h.renewals.failed).singleElement().satisfies(f -> assertThat(f.error()).contains("No space left on device"));
            assertThat(h.minted()).as("nothing minted without an intent").isEqualTo(1);

            h.scheduler.runNext();
            assertThat(lease.current().number()).isEqualTo(2);
        }
    }

    @Test
    void aBlockResumedAfterARestartRenewsOnAndRetiresItsOlderGenerations() throws Exception {
        start();
        RenewingLease before = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals);
        String blockId = before.blockId();
        TokenGeneration first = before.current();
        h.scheduler.runNext(); // renewed: generation 1 is in its grace period when the controller goes down
        TokenGeneration second = before.current();

        h.restart(); // the lease and its values are gone
        RenewalHarness.Renewals afterRestart = new RenewalHarness.Renewals();
        RenewingLease resumed = h.broker.resume(h.request("tickets:read"), blockId, afterRestart);

        assertThat(resumed.blockId()).isEqualTo(blockId);
        TokenGeneration third = resumed.current();
        assertThat(third.number()).isEqualTo(3);
        assertThat(h.use(third)).isEqualTo(200);
        assertThat(h.use(first)).as("older than the newest: revoked before the mint").isEqualTo(401);
        assertThat(h.use(second)).as("the newest keeps its grace for a process still using it").isEqualTo(200);
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(2);
        assertThat(h.events).last().isInstanceOfSatisfying(LeaseEvent.Renewed.class, e -> {
            assertThat(e.previousTokenId()).isEqualTo(second.token().id());
            assertThat(e.generation()).isEqualTo(3);
            assertThat(e.blockId()).isEqualTo(blockId);
        });
        assertThat(h.blockEntries(blockId)).extracting(LedgerEntry::generation).containsExactlyInAnyOrder(2, 3);

        h.scheduler.runNext(); // the grace of generation 2 ends
        assertThat(h.use(second)).isEqualTo(401);
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);
        h.scheduler.runNext(); // renewal goes on
        assertThat(resumed.current().number()).isEqualTo(4);
        assertThat(afterRestart.renewed).hasSize(1);

        assertThat(resumed.revokeAll()).hasSize(2).allMatch(RevocationOutcome::revoked);
        assertThat(h.ledger.entries()).isEmpty();
        assertThat(h.peakLive()).isLessThanOrEqualTo(2);
    }

    @Test
    void revokeBlockEndsABlockWhoseLeaseIsNotInMemory() throws Exception {
        start();
        RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals);
        String blockId = lease.blockId();
        h.scheduler.runNext(); // two generations live
        h.restart();

        assertThatThrownBy(() -> h.broker.revokeBlock(h.env.site, h.env.auth, blockId, "other/job#1"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("blockId"));
        assertThatThrownBy(() -> h.broker.resume(h.request("tickets:read"), "x".repeat(101), RenewalListener.none()))
                .isInstanceOf(ZendeskInputException.class);
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(2);
        assertThat(h.minted()).as("a refused resume mints nothing").isEqualTo(2);

        List<RevocationOutcome> outcomes = h.broker.revokeBlock(h.env.site, h.env.auth, blockId, RenewalHarness.OWNER);

        assertThat(outcomes).hasSize(2).allMatch(RevocationOutcome::revoked);
        assertThat(h.ledger.entries()).isEmpty();
        assertThat(h.broker.revokeBlock(h.env.site, h.env.auth, blockId, RenewalHarness.OWNER)).isEmpty();
    }

    @Test
    void noTokenValueInTheLedgerEventsOrMessages() throws Exception {
        start();
        List<String> texts = new ArrayList<>();
        try (RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals)) {
            FaultPlan plan = h.zendesk.failNext("POST", MINT_PATH, 1000, Fault.processThenStatus(500)); // minted, answer lost
            h.scheduler.runNext();
            plan.cancel();
            for (int i = 0; i < 4; i++) {
                h.scheduler.runNext();
                texts.add(lease.toString());
                texts.add(lease.current().toString());
            }
            texts.add(Files.readString(h.ledger.file()));
            if (Files.exists(h.ledger.journal())) {
                texts.add(Files.readString(h.ledger.journal()));
            }
        }
        h.events.forEach(e -> texts.add(e.toString()));
        h.renewals.failed.forEach(f -> texts.add(f.error()));
        h.renewals.renewed.forEach(r -> texts.add(r.toString()));
        h.renewals.retired.forEach(r -> texts.add(r.toString()));
        h.ledger.entries().forEach(e -> texts.add(e.toString()));
        assertThat(h.renewals.failed).isNotEmpty();
        assertThat(h.renewals.renewed).isNotEmpty();

        SecretScan secrets = SecretScan.of(h.zendesk);
        texts.forEach(text -> secrets.assertNotIn("a renewal event or ledger entry", text));
        // The token whose answer was lost is left for reconciliation, as for any lease.
        h.env.reconcile(h.env.api(h.broker.transport()), CLIENT_ID);
    }
}
