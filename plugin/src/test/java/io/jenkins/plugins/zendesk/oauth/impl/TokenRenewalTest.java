package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.MINT_PATH;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addAdminCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import hudson.Functions;
import hudson.model.Result;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.Await;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code withZendeskToken} renews its token while the block runs: against an emulated client whose
 * tokens live {@link RenewalFixture#LIFETIME} (renewed two thirds in), with the file, environment,
 * masking, abort, failure and no-expiry paths (issue 13). Each test ends with no live token. Restart: {@link TokenRenewalRestartTest}.
 */
@WithJenkins
class TokenRenewalTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private WorkflowJob job(JenkinsRule r, String script) throws Exception {
        TokenStepFixture.shortRetries();
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private void assertAllRevoked(WorkflowRun b) throws Exception {
        SweepFixture.awaitAllRevoked("the block's revocations", zendesk.emulator());
        SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
    }

    @Test
    void renewalSequenceKeepsTheFileAndLaterStepsCurrent(JenkinsRule r) throws Exception {
        assumeFalse(Functions.isWindows(), "sh");
        RenewalFixture.expiringClient(zendesk.emulator());
        WorkflowJob p = job(r, "node {\n"
                + "  withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n"
                + "    sh 'echo \"start id=$ZENDESK_OAUTH_TOKEN_ID file=$ZENDESK_OAUTH_TOKEN_FILE expires=$ZENDESK_OAUTH_TOKEN_EXPIRES_AT\"'\n"
                + "    semaphore 'first'\n"
                + "    sh '[ \"$(cat \"$ZENDESK_OAUTH_TOKEN_FILE\")\" = \"$ZENDESK_OAUTH_TOKEN\" ] && echo \"later id=$ZENDESK_OAUTH_TOKEN_ID same-as-file\"'\n"
                + "    semaphore 'second'\n"
                + "    sh '[ \"$(cat \"$ZENDESK_OAUTH_TOKEN_FILE\")\" = \"$ZENDESK_OAUTH_TOKEN\" ] && echo \"last id=$ZENDESK_OAUTH_TOKEN_ID same-as-file\"'\n"
                + "  }\n"
                + "}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("first/1", b);
        Matcher start = Pattern.compile("start id=(\\d+) file=(.+?) expires=(\\S+)").matcher(JenkinsRule.getLog(b));
        assertThat(start.find()).isTrue();
        long first = Long.parseLong(start.group(1));
        Path file = Path.of(start.group(2));
        assertThat(start.group(3)).isEqualTo(zendesk.emulator().token(first).orElseThrow().expiresAt().toString());
        // The file: in the workspace's temporary directory, the block's own directory, only the build's user.
        assertThat(file.toString()).contains("@tmp");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(zendesk.emulator().token(first).orElseThrow().fullToken());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");

        // Two renewals, each replacing the file's content with the new generation (no newline).
        long second = RenewalFixture.awaitRenewal(r, b, first);
        RenewalFixture.awaitFileHolds(file, zendesk.emulator(), second);
        long third = RenewalFixture.awaitRenewal(r, b, second);
        RenewalFixture.awaitFileHolds(file, zendesk.emulator(), third);
        r.assertLogContains("Renewed Zendesk token id " + first + " -> " + second + " (scopes tickets:read), expires at "
                + zendesk.emulator().token(second).orElseThrow().expiresAt(), b);
        // The superseded generation is revoked after its grace period: at most 2 live at any time.
        Await.until("first generation retired", () -> zendesk.emulator().token(first).orElseThrow().revoked());
        assertThat(zendesk.emulator().liveTokenCount()).isLessThanOrEqualTo(2);

        SemaphoreStep.success("first/1", null);
        SemaphoreStep.waitForStart("second/1", b);
        Matcher later = Pattern.compile("later id=(\\d+) same-as-file").matcher(JenkinsRule.getLog(b));
        assertThat(later.find()).as("a step started after renewals sees the current generation").isTrue();
        assertThat(Long.parseLong(later.group(1))).isNotEqualTo(first).isGreaterThanOrEqualTo(third);
        SemaphoreStep.success("second/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("last id=", b);
        assertThat(Files.exists(file)).as("token file deleted").isFalse();
        assertThat(Files.exists(file.getParent())).as("its directory too").isFalse();
        assertAllRevoked(b);
        SecretScan.of(zendesk.emulator()).assertNotIn("build log", JenkinsRule.getLog(b));
    }

    @Test
    void valueMintedWhileShRunsIsMaskedOnAnAgent(JenkinsRule r) throws Exception {
        assumeFalse(Functions.isWindows(), "sh");
        RenewalFixture.expiringClient(zendesk.emulator());
        r.createOnlineSlave(hudson.model.Label.get("remote"));
        // The sh step starts with generation 1, waits for the file to change, then prints the new value and the old one.
        WorkflowJob p = job(r, "node('remote') {\n"
                + "  withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: 'tickets:read') {\n"
                + "    sh '''first=$(cat \"$ZENDESK_OAUTH_TOKEN_FILE\")\n"
                + "      while [ \"$(cat \"$ZENDESK_OAUTH_TOKEN_FILE\")\" = \"$first\" ]; do sleep 0.2; done\n"
                + "      echo \"new: $(cat \"$ZENDESK_OAUTH_TOKEN_FILE\")\"\n"
                + "      echo \"new base64: $(base64 -w0 < \"$ZENDESK_OAUTH_TOKEN_FILE\")\"\n"
                + "      echo \"old: $first\"'''\n"
                + "  }\n"
                + "}");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("new: ****", b);
        r.assertLogContains("new base64: ****", b);
        r.assertLogContains("old: ****", b);
        assertThat(zendesk.emulator().issuedTokens()).hasSizeGreaterThanOrEqualTo(2);
        SecretScan.of(zendesk.emulator()).assertNotIn("build log", JenkinsRule.getLog(b));
        assertAllRevoked(b);
    }

    @Test
    void abortDuringARenewalRevokesEveryGeneration(JenkinsRule r) throws Exception {
        RenewalFixture.expiringClient(zendesk.emulator());
        WorkflowJob p = job(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) { semaphore 'wait' }");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("wait/1", b);
        // The renewal's mint: Zendesk creates the token at once and answers seconds later.
        zendesk.emulator().failNext("POST", MINT_PATH, 1, Fault.delay(Duration.ofSeconds(5)));
        Await.until("the renewal's mint reached Zendesk", () -> zendesk.emulator().issuedTokens().size() == 2);
        assertThat(JenkinsRule.getLog(b)).doesNotContain("Renewed Zendesk token id");
        b.getExecutor().interrupt();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        for (IssuedToken t : zendesk.emulator().issuedTokens()) {
            Await.until("token " + t.id() + " revoked", () -> zendesk.emulator().token(t.id()).orElseThrow().revoked());
        }
        assertAllRevoked(b);
    }

    @Test
    void failedRenewalIsLoggedRetriedAndRecovers(JenkinsRule r) throws Exception {
        RenewalFixture.expiringClient(zendesk.emulator());
        WorkflowJob p = job(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n"
                + "  semaphore 'wait'\n"
                + "  echo \"after id=${env.ZENDESK_OAUTH_TOKEN_ID}\"\n"
                + "}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("wait/1", b);
        long first = zendesk.emulator().issuedTokens().get(0).id();
        // The first renewal is refused (a definite failure: a 429 is now waited out by the rate limiter, and a
        // 5xx leaves the mint's outcome unknown, the reconciliation's case tested elsewhere), then Zendesk recovers.
        zendesk.emulator().failNext("POST", MINT_PATH, 1, Fault.status(403));
        long second = RenewalFixture.awaitRenewal(r, b, first);
        r.assertLogContains("Could not renew Zendesk token id " + first + ": ", b);
        r.assertLogContains("The block goes on.", b);
        SemaphoreStep.success("wait/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        Matcher after = Pattern.compile("after id=(\\d+)").matcher(JenkinsRule.getLog(b));
        assertThat(after.find()).isTrue();
        assertThat(Long.parseLong(after.group(1))).isGreaterThanOrEqualTo(second);
        assertAllRevoked(b);
    }

    @Test
    void tokenWithoutExpiryIsNotRenewed(JenkinsRule r) throws Exception {
        assumeFalse(Functions.isWindows(), "sh");
        // A client created before Zendesk expired every token: its tokens never expire.
        zendesk.emulator().tokensNeverExpire(TokenStepFixture.CLIENT_ID);
        WorkflowJob p = job(r, "node {\n"
                + "  withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n"
                + "    sh 'echo \"expires=${ZENDESK_OAUTH_TOKEN_EXPIRES_AT:-none}\"; [ \"$(cat \"$ZENDESK_OAUTH_TOKEN_FILE\")\" = \"$ZENDESK_OAUTH_TOKEN\" ] && echo file-ok'\n"
                + "    semaphore 'wait'\n"
                + "  }\n"
                + "}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("wait/1", b);
        SemaphoreStep.success("wait/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("Zendesk reports no expiry for this token: it is not renewed.", b);
        r.assertLogContains("expires=none", b);
        r.assertLogContains("file-ok", b);
        r.assertLogNotContains("Renewed Zendesk token", b);
        assertThat(zendesk.emulator().issuedTokens()).hasSize(1);
        assertAllRevoked(b);
    }

    @Test
    void outsideNodeRenewsWithoutAFile(JenkinsRule r) throws Exception {
        RenewalFixture.expiringClient(zendesk.emulator());
        WorkflowJob p = job(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n"
                + "  echo \"file=${env.ZENDESK_OAUTH_TOKEN_FILE} id=${env.ZENDESK_OAUTH_TOKEN_ID}\"\n"
                + "  semaphore 'wait'\n"
                + "  echo \"later id=${env.ZENDESK_OAUTH_TOKEN_ID}\"\n"
                + "}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("wait/1", b);
        long first = zendesk.emulator().issuedTokens().get(0).id();
        r.assertLogContains("file=null id=" + first, b);
        long second = RenewalFixture.awaitRenewal(r, b, first);
        SemaphoreStep.success("wait/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        Matcher later = Pattern.compile("later id=(\\d+)").matcher(JenkinsRule.getLog(b));
        assertThat(later.find()).isTrue();
        assertThat(Long.parseLong(later.group(1))).isGreaterThanOrEqualTo(second);
        assertAllRevoked(b);
    }
}
