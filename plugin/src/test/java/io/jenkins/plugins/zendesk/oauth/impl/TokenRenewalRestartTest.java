package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import hudson.Functions;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.Await;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart inside a renewing block: the values die with the old JVM (program.dat
 * holds ids only), so the resumed block mints a new generation linked to the old ones, rewrites
 * the file, goes on renewing, and its end revokes every generation.
 */
class TokenRenewalRestartTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> RenewalFixture.expiringClient(TokenStepFixture.startEmulator()));

    @Test
    void restartDuringARenewingBlockResumesAndRevokesEveryGeneration() throws Throwable {
        assumeFalse(Functions.isWindows(), "sh");
        String[] file = new String[1];
        long[] beforeRestart = new long[1];
        sessions.then(r -> {
            TokenStepFixture.shortRetries();
            TokenStepFixture.addAdminCredentials(zendesk.emulator());
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("node {\n"
                    + "  withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n"
                    + "    sh 'echo \"file=$ZENDESK_OAUTH_TOKEN_FILE\"'\n"
                    + "    semaphore 'wait'\n"
                    + "    sh '[ \"$(cat \"$ZENDESK_OAUTH_TOKEN_FILE\")\" = \"$ZENDESK_OAUTH_TOKEN\" ] && echo \"after restart id=$ZENDESK_OAUTH_TOKEN_ID same-as-file\"'\n"
                    + "  }\n"
                    + "}", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            Matcher m = Pattern.compile("^file=(.+)$", Pattern.MULTILINE).matcher(JenkinsRule.getLog(b));
            assertThat(m.find()).isTrue();
            file[0] = m.group(1);
            long first = zendesk.emulator().issuedTokens().get(0).id();
            beforeRestart[0] = RenewalFixture.awaitRenewal(r, b, first);
            RenewalFixture.awaitFileHolds(Path.of(file[0]), zendesk.emulator(), beforeRestart[0]);
        });
        sessions.then(r -> {
            TokenStepFixture.shortRetries();
            WorkflowRun b = r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
            // The resumed block mints a new generation and rewrites the file with it.
            Pattern resumed = Pattern.compile("Minted Zendesk token id (\\d+) for this block after the controller restart");
            Await.until("resumed generation", () -> {
                try {
                    return resumed.matcher(JenkinsRule.getLog(b)).find();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Matcher m = resumed.matcher(JenkinsRule.getLog(b));
            assertThat(m.find()).isTrue();
            long afterRestart = Long.parseLong(m.group(1));
            assertThat(afterRestart).isGreaterThan(beforeRestart[0]);
            RenewalFixture.awaitFileHolds(Path.of(file[0]), zendesk.emulator(), afterRestart);
            // The generations from before the restart are retired (the newest after its grace period).
            Await.until("generations before the restart revoked", () -> zendesk.emulator().issuedTokens().stream()
                    .filter(t -> t.id() <= beforeRestart[0]).allMatch(IssuedToken::revoked));
            // And it keeps renewing.
            long next = RenewalFixture.awaitRenewal(r, b, afterRestart);
            SemaphoreStep.success("wait/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            Matcher after = Pattern.compile("after restart id=(\\d+) same-as-file").matcher(JenkinsRule.getLog(b));
            assertThat(after.find()).isTrue();
            assertThat(Long.parseLong(after.group(1))).isGreaterThanOrEqualTo(next);
            assertThat(Files.exists(Path.of(file[0]))).as("token file deleted").isFalse();
            Await.until("no live token", () -> zendesk.emulator().liveTokenCount() == 0);
            assertThat(TokenStepFixture.ledger()).isEmpty();
            SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
            SecretScan.of(zendesk.emulator()).assertNotIn("build log", JenkinsRule.getLog(b));
        });
    }
}
