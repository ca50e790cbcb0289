package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.TOKENS_PATH;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.addCredential;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.assertAllRevoked;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.await;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.awaitNoOtherSweep;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.buildLeavingAPendingToken;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.ledger;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.oneAttemptPerCall;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.onlyEntry;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.ExtensionList;
import hudson.model.Executor;
import hudson.model.Result;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Every way a build can end without its block revoking the token (abort during the mint, restart
 * inside the block, failing revocation, hard kill, deleted build) ends with no live token at
 * Zendesk and an empty ledger; and the sweep after a restart leaves a resuming build's token alone.
 */
class LedgerSweepTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @Test
    void abortDuringMintIsReconciledAndRevoked() throws Throwable {
        sessions.then(j -> {
            addCredential(zendesk.emulator());
            oneAttemptPerCall();
            // Zendesk creates the token at once but answers only after 30 s: the build is aborted meanwhile.
            zendesk.emulator().failNext("POST", TOKENS_PATH, 1, Fault.delay(Duration.ofSeconds(30)));
            WorkflowJob p = pipeline(j, "p", "echo 'never reached'");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            await("Zendesk created the token", () -> zendesk.emulator().liveTokenCount() == 1);
            assertThat(onlyEntry().state()).isEqualTo(LedgerEntry.State.MINTING);

            Executor executor = Objects.requireNonNull(b.getExecutor());
            executor.interrupt();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            j.assertLogNotContains("never reached", b);
            // The interrupted mint is recorded as uncertain (not left as a fresh MINTING entry).
            await("the mint is recorded as uncertain", () -> ledger().stream().noneMatch(e -> e.state() == LedgerEntry.State.MINTING));

            ByteArrayOutputStream log = new ByteArrayOutputStream();
            ExtensionList.lookupSingleton(LedgerSweepWork.class).execute(new StreamTaskListener(log, StandardCharsets.UTF_8));
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("Zendesk token sweep:");
            // That sweep, or the run-end sweep running at the same time, reconciled the mint.
            SweepFixture.awaitAllRevoked("the uncertain mint was reconciled", zendesk.emulator());

            assertThat(zendesk.emulator().issuedTokens()).hasSize(1);
            assertAllRevoked(zendesk.emulator());
        });
    }

    @Test
    void restartInsideBlockThenBlockEndRevokes() throws Throwable {
        sessions.then(j -> {
            addCredential(zendesk.emulator());
            WorkflowJob p = pipeline(j, "p", "semaphore 'wait'");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
            assertThat(onlyEntry().state()).isEqualTo(LedgerEntry.State.LIVE);
        });
        sessions.then(j -> {
            // The sweep after startup must leave the resuming build's token to its block.
            Future<SweepReport> startup = ExtensionList.lookupSingleton(LedgerSweepWork.StartupSweep.class).lastSweep();
            assertThat(startup).isNotNull();
            SweepReport report = startup.get(1, TimeUnit.MINUTES);
            assertThat(report).isNotNull();
            assertThat(report.revoked()).isZero();
            assertThat(report.inUse()).isEqualTo(1);
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
            assertThat(onlyEntry().state()).isEqualTo(LedgerEntry.State.LIVE);
            // So does any later periodic sweep while the build runs.
            assertThat(ZendeskBrokerService.get().sweeper().sweep().revoked()).isZero();
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);

            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            SemaphoreStep.success("wait/1", null);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("Revoked Zendesk token id", b);
            assertAllRevoked(zendesk.emulator());
        });
    }

    @Test
    void revocationFailingThreeTimesIsRetriedBySweeper() throws Throwable {
        sessions.then(j -> {
            addCredential(zendesk.emulator());
            oneAttemptPerCall();
            zendesk.emulator().failNext("DELETE", TOKENS_PATH, 3, Fault.status(503));
            WorkflowJob p = pipeline(j, "p", "echo 'inside'");
            WorkflowRun b = j.buildAndAssertSuccess(p);
            j.assertLogContains("Could not revoke Zendesk token id", b);
            // Failure 1 was the block's own revocation, failure 2 the sweep when the run finished.
            await("the run-end sweep tried too", () -> ledger().size() == 1 && onlyEntry().failures() == 2);
            // It records the failure just before it lets go of the entry.
            awaitNoOtherSweep();
            assertThat(onlyEntry().state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);

            // The periodic sweep respects the entry's backoff: no request now.
            int deletes = zendesk.emulator().requestCount("DELETE", TOKENS_PATH);
            SweepReport periodic = ZendeskBrokerService.get().sweeper().sweep();
            assertThat(periodic.stillPending()).isEqualTo(1);
            assertThat(zendesk.emulator().requestCount("DELETE", TOKENS_PATH)).isEqualTo(deletes);

            // "Sweep now" retries at once: failure 3, then success.
            SweepReport third = ZendeskBrokerService.get().sweepNow();
            assertThat(third.errors()).hasSize(1);
            assertThat(onlyEntry().failures()).isEqualTo(3);
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);

            SweepReport fourth = ZendeskBrokerService.get().sweepNow();
            assertThat(fourth.revoked()).isEqualTo(1);
            assertThat(fourth.errors()).isEmpty();
            assertThat(zendesk.emulator().requestCount("DELETE", TOKENS_PATH)).isEqualTo(4);
            assertAllRevoked(zendesk.emulator());
        });
    }

    @Test
    void hardKilledBuildIsSweptWhenItEnds() throws Throwable {
        sessions.then(j -> {
            addCredential(zendesk.emulator());
            WorkflowJob p = pipeline(j, "p", "semaphore 'wait'");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);

            // A hard kill never runs the block's revocation: only the run listener can.
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                b.doKill();
            }
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            // Zendesk forgets the token a moment before the sweep removes its ledger entry.
            SweepFixture.awaitAllRevoked("the run-end sweep revoked the token", zendesk.emulator());
        });
    }

    @Test
    void deletedBuildIsSwept() throws Throwable {
        sessions.then(j -> {
            addCredential(zendesk.emulator());
            oneAttemptPerCall();
            WorkflowJob p = pipeline(j, "p", "echo 'inside'");
            WorkflowRun b = buildLeavingAPendingToken(j, zendesk.emulator(), p);
            // Else the deletion sweep could find the entry still held by the run-end sweep and skip it.
            awaitNoOtherSweep();
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);

            b.delete();
            SweepFixture.awaitAllRevoked("the deletion sweep revoked the token", zendesk.emulator());
            assertThat(zendesk.emulator().requestCount("DELETE", TOKENS_PATH)).isEqualTo(3);
            assertAllRevoked(zendesk.emulator());
        });
    }

    @Test
    void corruptLedgerDoesNotStopJenkins() throws Throwable {
        sessions.then(j -> {
            ZendeskBrokerService service = ZendeskBrokerService.get();
            Files.createDirectories(service.ledgerFile().toPath().getParent());
            Files.writeString(service.ledgerFile().toPath(), "{\"format\":1,\"count\":3,\"entries\":[{\"id\":");
        });
        sessions.then(j -> {
            Future<SweepReport> startup = ExtensionList.lookupSingleton(LedgerSweepWork.StartupSweep.class).lastSweep();
            assertThat(startup).isNotNull();
            assertThat(startup.get(1, TimeUnit.MINUTES)).isNull();
            ZendeskBrokerService service = ZendeskBrokerService.get();
            assertThat(service.ledgerError()).contains("corrupt or truncated");
            assertThat(service.ledgerEntries()).isEmpty();
            // Reported, never replaced: the file is as it was.
            assertThat(Files.readString(service.ledgerFile().toPath())).endsWith("{\"id\":");

            ByteArrayOutputStream log = new ByteArrayOutputStream();
            ExtensionList.lookupSingleton(LedgerSweepWork.class).execute(new StreamTaskListener(log, StandardCharsets.UTF_8));
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("corrupt or truncated");
            assertThat(zendesk.emulator().liveTokenCount()).isZero();
        });
    }
}
