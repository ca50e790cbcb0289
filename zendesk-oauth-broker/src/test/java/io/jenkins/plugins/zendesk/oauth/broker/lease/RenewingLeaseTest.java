package io.jenkins.plugins.zendesk.oauth.broker.lease;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A block's token renewed on the emulator's clock: when, with what, how the predecessor is retired,
 * and that the block never holds more than two live tokens.
 */
class RenewingLeaseTest {
    /** Slack for the real time that passes while the test runs (the emulator's clock is the system's plus an offset). */
    private static final Duration SLACK = Duration.ofSeconds(2);

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(EmulatedZendesk::startEmulator);
    @TempDir
    Path dir;
    private RenewalHarness h;

    @AfterEach
    void closeLedger() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aBlockRenewsItsTokenOverSeveralLifetimesAndRevokesEachPredecessorAfterItsGrace() throws Exception {
        h = new RenewalHarness(dir, zendesk.emulator());
        RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read users:read"), h.renewals);
        TokenGeneration first = lease.current();
        assertThat(lease.renews()).isTrue();
        assertThat(first.number()).isEqualTo(1);
        assertThat(lease.blockId()).isEqualTo(first.entryId());
        assertThat(h.events).singleElement().isInstanceOf(LeaseEvent.Minted.class);

        for (int i = 0; i < 6; i++) { // 6 renewals at 20 minutes: four 30-minute lifetimes
            renewOnceThenRetire(lease, ZendeskEmulator.DEFAULT_TOKEN_LIFETIME);
        }

        assertThat(lease.current().number()).isEqualTo(7);
        assertThat(lease.current().token().scopes()).isEqualTo(first.token().scopes());
        assertThat(h.renewals.failed).isEmpty();
        assertThat(h.events).filteredOn(LeaseEvent.Renewed.class::isInstance).hasSize(6);
        List<RevocationOutcome> end = lease.revokeAll();
        assertThat(end).singleElement().satisfies(o -> assertThat(o.tokenId()).isEqualTo(lease.current().token().id()));
        assertThat(end.get(0).revoked()).isTrue();
        assertThat(lease.revokeAll()).as("idempotent").isEqualTo(end);
        assertThat(h.minted()).isEqualTo(7);
        assertThat(h.peakLive()).isEqualTo(2);
        assertThat(h.ledger.entries()).isEmpty();
        assertThat(h.scheduler.pending()).as("nothing left scheduled").isZero();
    }

    @ParameterizedTest(name = "lifetime {0} s")
    @ValueSource(longs = {60, 300, 172_800})
    void everyLifetimeFromOneMinuteTo48HoursIsRenewedAtTwoThirds(long seconds) throws Exception {
        h = new RenewalHarness(dir, zendesk.emulator());
        Duration lifetime = Duration.ofSeconds(seconds);
        h.zendesk.tokenLifetimeForTestsOnly(CLIENT_ID, lifetime); // 60 s is below Zendesk's 5 minutes
        try (RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals)) {
            for (int i = 0; i < 3; i++) {
                renewOnceThenRetire(lease, lifetime);
            }
            assertThat(lease.current().number()).isEqualTo(4);
        }
        assertThat(h.peakLive()).isEqualTo(2);
        assertThat(h.ledger.entries()).isEmpty();
    }

    /**
     * Moves the clock to the renewal (checking it is due at two thirds of the lifetime and that the
     * current token works until then), then through the grace period (checking the predecessor
     * works during it and is revoked at its end).
     */
    private void renewOnceThenRetire(RenewingLease lease, Duration lifetime) throws Exception {
        TokenGeneration before = lease.current();
        Instant renewAt = h.scheduler.nextDue().orElseThrow();
        Duration twoThirds = lifetime.multipliedBy(2).dividedBy(3);
        assertThat(Duration.between(before.token().createdAt(), renewAt)).isBetween(twoThirds.minus(SLACK), twoThirds.plus(SLACK));

        h.scheduler.advance(Duration.between(h.zendesk.now(), renewAt).minus(SLACK));
        assertThat(lease.current()).as("not renewed early").isSameAs(before);
        assertThat(h.use(before)).as("the current token works until its renewal").isEqualTo(200);

        h.scheduler.advance(SLACK.plusSeconds(1));
        TokenGeneration after = lease.current();
        assertThat(after.number()).isEqualTo(before.number() + 1);
        assertThat(after.token().id()).isNotEqualTo(before.token().id());
        assertThat(after.token().scopes()).isEqualTo(before.token().scopes());
        assertThat(after.token().clientId()).isEqualTo(before.token().clientId());
        assertThat(h.use(after)).isEqualTo(200);
        assertThat(h.use(before)).as("the predecessor works during its grace").isEqualTo(200);
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(2);
        assertThat(h.renewals.renewed).last().satisfies(r -> {
            assertThat(r.previous()).isSameAs(before);
            assertThat(r.next()).isSameAs(after);
        });
        assertThat(h.events).last().isInstanceOfSatisfying(LeaseEvent.Renewed.class, e -> {
            assertThat(e.tokenId()).isEqualTo(after.token().id());
            assertThat(e.previousTokenId()).isEqualTo(before.token().id());
            assertThat(e.blockId()).isEqualTo(lease.blockId());
            assertThat(e.generation()).isEqualTo(after.number());
            assertThat(e.owner()).isEqualTo(RenewalHarness.OWNER);
            assertThat(e.expiresAt()).isEqualTo(after.token().expiresAt());
        });
        List<LedgerEntry> block = h.blockEntries(lease.blockId());
        assertThat(block).extracting(LedgerEntry::generation).containsExactlyInAnyOrder(before.number(), after.number());
        assertThat(block).allSatisfy(e -> {
            assertThat(e.state()).isEqualTo(LedgerEntry.State.LIVE);
            assertThat(e.owner()).isEqualTo(RenewalHarness.OWNER);
            assertThat(e.authority()).isEqualTo(RenewalHarness.AUTHORITY);
            assertThat(e.scopes()).isEqualTo(before.token().scopes().asStrings());
        });

        Duration grace = lifetime.dividedBy(6).compareTo(Duration.ofSeconds(60)) < 0 ? lifetime.dividedBy(6) : Duration.ofSeconds(60);
        Instant retireAt = h.scheduler.nextDue().orElseThrow();
        assertThat(Duration.between(h.zendesk.now(), retireAt)).isBetween(grace.minus(SLACK), grace);
        h.scheduler.advance(Duration.between(h.zendesk.now(), retireAt).minus(SLACK));
        assertThat(h.use(before)).isEqualTo(200);
        h.scheduler.advance(SLACK.plusSeconds(1));
        assertThat(h.use(before)).as("revoked after its grace").isEqualTo(401);
        assertThat(h.zendesk.token(before.token().id()).orElseThrow().revoked()).isTrue();
        assertThat(h.renewals.retired).last().satisfies(r -> {
            assertThat(r.old()).isSameAs(before);
            assertThat(r.outcome().revoked()).isTrue();
        });
        assertThat(h.blockEntries(lease.blockId())).extracting(LedgerEntry::generation).containsExactly(after.number());
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);
    }

    @Test
    void aTokenWithoutExpiryIsNeverRenewed() throws Exception {
        h = new RenewalHarness(dir, zendesk.emulator());
        h.zendesk.tokensNeverExpire(CLIENT_ID);
        try (RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals)) {
            assertThat(lease.renews()).isFalse();
            assertThat(h.scheduler.pending()).isZero();
            h.scheduler.advance(Duration.ofDays(10));
            assertThat(lease.current().number()).isEqualTo(1);
            assertThat(h.use(lease.current())).isEqualTo(200);
        }
        assertThat(h.minted()).isEqualTo(1);
        assertThat(h.renewals.renewed).isEmpty();
        assertThat(h.ledger.entries()).isEmpty();
    }

    @Test
    void theEndDuringTheGracePeriodRevokesBothGenerations() throws Exception {
        h = new RenewalHarness(dir, zendesk.emulator());
        RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals);
        TokenGeneration first = lease.current();
        h.scheduler.runNext(); // the renewal
        TokenGeneration second = lease.current();
        assertThat(second.number()).isEqualTo(2);

        List<RevocationOutcome> end = lease.revokeAll();

        assertThat(end).extracting(RevocationOutcome::tokenId).containsExactly(first.token().id(), second.token().id());
        assertThat(end).allMatch(RevocationOutcome::revoked);
        assertThat(h.use(first)).isEqualTo(401);
        assertThat(h.use(second)).isEqualTo(401);
        assertThat(h.scheduler.pending()).isZero();
        h.scheduler.advance(Duration.ofHours(2));
        assertThat(h.minted()).as("nothing renews after the end").isEqualTo(2);
        assertThat(h.ledger.entries()).isEmpty();
    }

    @Test
    void anInterruptedEndStillRevokesEveryGeneration() throws Exception {
        h = new RenewalHarness(dir, zendesk.emulator());
        RenewingLease lease = h.broker.leaseRenewing(h.request("tickets:read"), h.renewals);
        h.scheduler.runNext();

        Thread.currentThread().interrupt(); // an aborted build
        List<RevocationOutcome> end;
        try {
            end = lease.revokeAll();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt status is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(end).hasSize(2).allMatch(RevocationOutcome::revoked);
    }
}
