package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real lease process (a separate JVM running {@link LeaseChild}) at each step of a lease,
 * then proves that a fresh broker and sweeper with the same ledger file leave no live token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaseCrashTest {
    private static final String TOKENS = "/api/v2/oauth/tokens";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ZendeskEmulator::start);
    @TempDir
    Path dir;
    private Harness h;
    private Process child;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        h = new Harness(dir, zendesk.emulator());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        if (h == null) {
            return;
        }
        h.assertNoSecretsIn(String.join("\n", output));
        h.assertNoSecretsInLedgerFile();
    }

    @Test
    void killedWhileTheMintRequestIsInFlight() throws Exception {
        // Zendesk creates the token at once but answers only after 30 s: the child waits, we kill it.
        h.zendesk.failNext("POST", TOKENS, 1, Fault.delay(Duration.ofSeconds(30)));
        launch("MINT");
        awaitLine("LEASING");
        awaitTrue(() -> h.zendesk.liveTokenCount() == 1);
        kill();

        LedgerEntry left = recoverAndSweep(LedgerEntry.State.MINTING);
        assertThat(left.tokenId()).isEmpty();
    }

    @Test
    void haltedAfterTheMintBeforeTheLedgerKnowsTheToken() throws Exception {
        launch("HALT_IN_RECORD_MINTED");
        awaitLine("HALTING");
        assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);

        recoverAndSweep(LedgerEntry.State.MINTING);
    }

    @Test
    void killedInsideTheBlock() throws Exception {
        launch("IN_BLOCK");
        awaitLine("MINTED");
        kill();
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);

        LedgerEntry left = recoverAndSweep(LedgerEntry.State.LIVE);
        assertThat(left.tokenId()).isPresent();
    }

    @Test
    void killedWhileTheRevocationIsAnsweredLate() throws Exception {
        // Zendesk revokes at once but answers late: the child dies not knowing.
        h.zendesk.failNext("DELETE", TOKENS + "/", 1, Fault.delay(Duration.ofSeconds(30)));
        launch("REVOKE");
        awaitLine("MINTED");
        proceed();
        awaitLine("REVOKING");
        awaitTrue(() -> h.zendesk.requestCount("DELETE", TOKENS + "/") == 1);
        kill();

        recoverAndSweep(LedgerEntry.State.LIVE);
    }

    @Test
    void killedWhileTheRevocationIsNotYetProcessed() throws Exception {
        launch("REVOKE");
        awaitLine("MINTED");
        // Every request now waits 30 s before Zendesk even looks at it.
        h.zendesk.latency(Duration.ofSeconds(30));
        proceed();
        awaitLine("REVOKING");
        awaitTrue(() -> h.zendesk.requestCount("DELETE", TOKENS + "/") == 1);
        kill();
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);
        h.zendesk.latency(Duration.ZERO);

        recoverAndSweep(LedgerEntry.State.LIVE);
    }

    @Test
    void haltedWhileTheIntentIsAppendedToTheJournal() throws Exception {
        startLedger();
        launch("HALT_AT_JOURNAL_APPENDED");
        awaitHalt();
        assertThat(h.zendesk.requestCount("POST", TOKENS)).isZero();
        // A process death keeps what reached the page cache; a power cut may tear it. Both must load.
        byte[] journal = Files.readAllBytes(journalFile());
        Files.write(journalFile(), Arrays.copyOf(journal, journal.length - 40));
        assertThat(h.openLedger().entries()).isEmpty();
        Files.write(journalFile(), journal);

        TokenBroker fresh = h.broker();
        assertThat(fresh.ledger().entries()).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.MINTING))
                .satisfies(e -> assertThat(e.owner()).isEqualTo("job#crash"));
        h.letMintsGoStale(fresh);
        SweepReport report = h.sweeper(fresh, owner -> false).sweep();
        assertThat(report.isComplete()).as(report.toString()).isTrue();
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(fresh.ledger().entries()).isEmpty();
        assertThat(h.openLedger().entries()).isEmpty();
    }

    @Test
    void haltedInACompactionBeforeTheRename() throws Exception {
        startLedger();
        launch("HALT_AT_SNAPSHOT_WRITTEN");
        awaitHalt();
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);

        LedgerEntry left = recoverAndSweep(LedgerEntry.State.MINTING); // the intent, from the journal
        assertThat(left.tokenId()).isEmpty();
    }

    @Test
    void haltedInACompactionAfterTheRename() throws Exception {
        startLedger();
        launch("HALT_AT_SNAPSHOT_RENAMED");
        awaitHalt();
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);

        LedgerEntry left = recoverAndSweep(LedgerEntry.State.LIVE); // the snapshot; the old journal is ignored
        assertThat(left.tokenId()).isPresent();
    }

    /** A ledger that has been used: a snapshot, and a journal of one record (the removal). */
    private void startLedger() {
        try (FileLeaseLedger ledger = h.openLedger()) {
            ledger.remove(ledger.recordIntent(h.site.toString(), Harness.CLIENT_ID, "job#earlier", Harness.AUTHORITY,
                    ScopeSet.parse(Harness.SCOPES, "scopes")).id());
        }
        assertThat(journalFile()).exists();
    }

    private Path journalFile() {
        return h.ledgerFile.resolveSibling(h.ledgerFile.getFileName() + ".journal");
    }

    private void awaitHalt() throws InterruptedException {
        awaitLine("HALTING");
        assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
    }

    /** What Jenkins does after a restart: open the same ledger, sweep with the dead run as inactive owner. */
    private LedgerEntry recoverAndSweep(LedgerEntry.State expected) {
        TokenBroker fresh = h.broker();
        assertThat(fresh.ledger().entries()).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(expected))
                .satisfies(e -> assertThat(e.owner()).isEqualTo("job#crash"));
        LedgerEntry left = fresh.ledger().entries().get(0);
        h.assertNoSecretsInLedgerFile();
        h.letMintsGoStale(fresh);

        SweepReport report = h.sweeper(fresh, owner -> false).sweep();

        assertThat(report.isComplete()).as(report.toString()).isTrue();
        assertThat(report.revoked() + report.alreadyGone()).as(report.toString()).isEqualTo(1);
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(fresh.ledger().entries()).isEmpty();
        assertThat(h.openLedger().entries()).isEmpty();
        return left;
    }

    private void launch(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), LeaseChild.class.getName(),
                h.zendesk.baseUrl(), h.ledgerFile.toString(), mode, "job#crash")
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        }, "lease-child-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void awaitLine(String prefix) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return;
            }
        }
        throw new AssertionError("the child never printed " + prefix + "; its output: " + output);
    }

    private void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met; child output: " + output);
            }
            Thread.sleep(20);
        }
    }

    private void proceed() throws IOException {
        Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        in.write("go\n");
        in.flush();
    }

    private void kill() throws InterruptedException {
        child.destroyForcibly();
        assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(output).noneMatch(line -> line.startsWith("DONE"));
    }
}
