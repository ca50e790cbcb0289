package io.jenkins.plugins.zendesk.oauth.broker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ManualScheduler;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Reconciler;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A broker that renews, against the test's emulator, on the emulator's clock driven by a
 * {@link ManualScheduler} that checks after every step that the block never has more than two
 * live tokens. {@link #restart} stands for a controller restart: a new broker and scheduler on the
 * same ledger file, the old lease forgotten.
 */
final class RenewalHarness implements AutoCloseable {
    static final String OWNER = "folder/long-job#7";
    static final String AUTHORITY = "zendesk-admin";

    final EmulatedZendesk env;
    final ZendeskEmulator zendesk;
    final List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    final Renewals renewals = new Renewals();
    private final Path file;
    /** Tokens the warm-up minted (and revoked): not the test's. */
    private final int warmUpTokens;
    private final AtomicInteger peakLive = new AtomicInteger();
    FileLeaseLedger ledger;
    ManualScheduler scheduler;
    TokenBroker broker;

    /** @param zendesk the test's emulator, started by {@link EmulatedZendesk#startEmulator()} */
    RenewalHarness(Path dir, ZendeskEmulator zendesk) {
        this(dir, zendesk, UnaryOperator.identity());
    }

    /** @param wrap decorates the broker's ledger (to inject ledger failures or pauses) */
    RenewalHarness(Path dir, ZendeskEmulator zendesk, UnaryOperator<LeaseLedger> wrap) {
        env = new EmulatedZendesk(zendesk).warmedUp();
        this.zendesk = zendesk;
        warmUpTokens = zendesk.issuedTokens().size();
        file = dir.resolve("ledger.json");
        open(wrap);
    }

    private void open(UnaryOperator<LeaseLedger> wrap) {
        ledger = new FileLeaseLedger(file, zendesk.clock());
        scheduler = new ManualScheduler(zendesk.clock(), zendesk::advanceClock).afterEachTask(this::atMostTwoLive);
        ZendeskTransport transport = EmulatedZendesk.transport(EmulatedZendesk.POLICY, new RecordingSleeper(), zendesk.clock());
        LeaseLedger used = wrap.apply(ledger);
        broker = new TokenBroker(transport, used, events::add, scheduler, new Reconciler(transport, used));
    }

    /** A controller restart: the ledger is reopened from its file by a new broker with a new scheduler. */
    void restart() {
        ledger.close();
        open(UnaryOperator.identity());
    }

    void atMostTwoLive() {
        int live = zendesk.liveTokenCount();
        peakLive.accumulateAndGet(live, Math::max);
        assertThat(live).as("live tokens of the block").isLessThanOrEqualTo(2);
    }

    /** Tokens minted since the harness started. */
    int minted() {
        return zendesk.issuedTokens().size() - warmUpTokens;
    }

    int peakLive() {
        return peakLive.get();
    }

    LeaseRequest request(String scopes) {
        return new LeaseRequest(env.site, env.auth, new OAuthClientRef.ById(EmulatedZendesk.CLIENT_ID), ScopeSet.parse(scopes, "scopes"),
                Optional.empty(), OWNER, AUTHORITY);
    }

    /** The HTTP status of a Zendesk call made with this generation's token. */
    int use(TokenGeneration generation) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(zendesk.baseUrl() + "/api/v2/tickets.json"))
                .header("Authorization", "Bearer " + generation.token().value().reveal()).GET().build();
        return EmulatedZendesk.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    List<LedgerEntry> blockEntries(String blockId) {
        return ledger.entries().stream().filter(e -> e.blockId().equals(blockId)).toList();
    }

    /** Closes the ledger; the emulator is the test's to close. */
    @Override
    public void close() {
        ledger.close();
    }

    /** Records what a {@link RenewingLease} reports. */
    static final class Renewals implements RenewalListener {
        record Renewal(TokenGeneration previous, TokenGeneration next) {
        }

        record Failure(int generation, String error, Instant nextAttempt) {
        }

        record Retirement(TokenGeneration old, RevocationOutcome outcome) {
        }

        final List<Renewal> renewed = new CopyOnWriteArrayList<>();
        final List<Failure> failed = new CopyOnWriteArrayList<>();
        final List<Retirement> retired = new CopyOnWriteArrayList<>();

        @Override
        public void renewed(TokenGeneration previous, TokenGeneration next) {
            renewed.add(new Renewal(previous, next));
        }

        @Override
        public void renewalFailed(TokenGeneration current, String error, Instant nextAttempt) {
            failed.add(new Failure(current.number(), error, nextAttempt));
        }

        @Override
        public void retired(TokenGeneration old, RevocationOutcome outcome) {
            retired.add(new Retirement(old, outcome));
        }
    }
}
