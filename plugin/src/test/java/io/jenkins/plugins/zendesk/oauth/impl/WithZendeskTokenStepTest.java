package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.ADMIN_API_TOKEN;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.MINT_PATH;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addAdminCredentials;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addGlobal;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.adminCredentials;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.ledger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.EnvVars;
import hudson.Functions;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.LedgerAuthority;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.Await;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.BindingStep;
import org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The {@code withZendeskToken} step and the {@code zendeskOAuthToken} binding against the Zendesk
 * emulator: every exit path ends with the token revoked, nothing leaks, bad input mints nothing.
 * Restart inside the block: {@link WithZendeskTokenStepRestartTest}.
 */
@WithJenkins
class WithZendeskTokenStepTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static final String STEP = "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read'])";
    // Scopes are printed space-separated ("tickets:read users:read"), so they are not one \S+ token.
    private static final Pattern MINTED = Pattern.compile("Minted Zendesk token id (\\d+) with scopes (.+?) for site (\\S+) in \\d+ ms");

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private WorkflowJob job(JenkinsRule r, String script) throws Exception {
        TokenStepFixture.shortRetries();
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    /** The token minted by this build, from its log line. */
    private static long mintedId(WorkflowRun b) throws Exception {
        Matcher m = MINTED.matcher(JenkinsRule.getLog(b));
        assertThat(m.find()).as("mint line in the log").isTrue();
        return Long.parseLong(m.group(1));
    }

    private void assertAllRevoked(JenkinsRule r) {
        assertThat(zendesk.emulator().liveTokenCount()).as("live Zendesk tokens").isZero();
        assertThat(ledger()).as("ledger entries left").isEmpty();
    }

    // ------------------------------------------------------------------ exit paths

    @Test
    void successMintsUsesAndRevokes(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = job(r, STEP + " {\n"
                + "  echo \"url=${env.ZENDESK_URL} id=${env.ZENDESK_OAUTH_TOKEN_ID} length=${env.ZENDESK_OAUTH_TOKEN.length()}\"\n"
                + "}\n"
                + "echo \"after: ${env.ZENDESK_OAUTH_TOKEN}\"");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        long id = mintedId(b);
        r.assertLogContains("Minted Zendesk token id " + id + " with scopes tickets:read for site " + zendesk.emulator().baseUrl(), b);
        r.assertLogContains("url=" + zendesk.emulator().baseUrl() + " id=" + id + " length=64", b);
        r.assertLogContains("Revoked Zendesk token id " + id + " in ", b);
        r.assertLogContains("after: null", b);
        IssuedToken token = zendesk.emulator().token(id).orElseThrow();
        assertThat(token.scopes()).containsExactly("tickets:read");
        assertThat(token.revoked()).isTrue();
        assertThat(zendesk.emulator().requestCount("DELETE", MINT_PATH + "/" + id)).isEqualTo(1);
        assertAllRevoked(r);
    }

    @Test
    void defaultScopesOfTheCredentialApplyWhenNoneRequested(JenkinsRule r) throws Exception {
        addGlobal(adminCredentials(zendesk.emulator(), ADMIN_API_TOKEN, "", "users:read tickets:read"));
        WorkflowRun b = r.buildAndAssertSuccess(job(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "') { echo 'inside' }"));
        assertThat(zendesk.emulator().token(mintedId(b)).orElseThrow().scopes()).containsExactlyInAnyOrder("tickets:read", "users:read");
        assertAllRevoked(r);
    }

    @Test
    void errorInBodyRevokes(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, STEP + " { error 'body failed on purpose' }"));
        r.assertLogContains("body failed on purpose", b);
        r.assertLogContains("Revoked Zendesk token id " + mintedId(b), b);
        assertAllRevoked(r);
    }

    @Test
    void abortDuringBodyRevokes(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = job(r, STEP + " { semaphore 'wait' }");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("wait/1", b);
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
        b.getExecutor().interrupt();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        r.assertLogContains("Revoked Zendesk token id " + mintedId(b), b);
        assertAllRevoked(r);
    }

    /**
     * Abort while the mint request is in flight: the body never runs and no token id is ever known.
     * The broker recorded the intent before sending and keeps it (as UNCERTAIN); the sweeper (run
     * for the finished build by the plugin's RunListener, or by "Sweep now") finds the token Zendesk
     * created by reconciliation and revokes it. The sweeper's own tests: LedgerSweepTest.
     */
    @Test
    void abortDuringMintLeavesIntentThatTheSweeperRevokes(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = job(r, STEP + " { echo 'inside the block' }");
        // Long exchange timeout: the abort, not a timeout, must end the mint.
        ZendeskBrokerService.get().setRetryPolicy(new io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy(2, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofSeconds(120), Duration.ofSeconds(90)));
        // Zendesk creates the token at once but answers only after a minute.
        zendesk.emulator().failNext("POST", MINT_PATH, 1, Fault.delay(Duration.ofSeconds(60)));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        Await.until("Zendesk received the mint request", () -> zendesk.emulator().liveTokenCount() > 0);
        // The intent was written before the request left, without a token id.
        LedgerEntry intent = ledger().get(0);
        assertThat(intent.tokenId()).isEmpty();
        assertThat(intent.owner()).isEqualTo(b.getExternalizableId());
        assertThat(LedgerAuthority.parse(intent.authority()))
                .contains(new LedgerAuthority(CREDENTIALS_ID, p.getFullName()));

        b.getExecutor().interrupt();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("Minted Zendesk token id", b);

        Await.until("the sweeper reconciled the interrupted mint", () -> {
            // One snapshot per round: the run-end sweep may remove the entry between two reads.
            List<LedgerEntry> entries = ledger();
            if (zendesk.emulator().liveTokenCount() == 0 && entries.isEmpty()) {
                return true;
            }
            if (!entries.isEmpty()) {
                assertThat(entries.get(0).tokenId()).isEmpty();
                ZendeskBrokerService.get().sweepNow();
            }
            return false;
        }, () -> "; ledger " + ledger() + "; live " + zendesk.emulator().liveTokenIds());
        assertAllRevoked(r);
    }

    /**
     * The timeout may fire inside the block (the usual order) or, on a slow machine, while the step
     * is still minting: either way the build is aborted and no token is left.
     */
    @Test
    void timeoutRevokesWhicheverComesFirst(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowRun b = r.buildAndAssertStatus(Result.ABORTED,
                job(r, "timeout(time: 2, unit: 'SECONDS') {\n  " + STEP + " { sleep 60 }\n}"));
        Matcher minted = MINTED.matcher(JenkinsRule.getLog(b));
        if (minted.find()) {
            // It fired inside the block: the block's own revocation ran.
            r.assertLogContains("Revoked Zendesk token id " + minted.group(1), b);
        } else {
            // It fired during the mint: the run-end sweep settles what the mint left.
            SweepFixture.awaitAllRevoked("the run-end sweep settled the interrupted mint", zendesk.emulator());
        }
        assertAllRevoked(r);
    }

    /**
     * Issue 8: a timeout that fires while the step is still minting interrupts the thread that
     * writes the ledger. The ledger's writes must not care: the build is aborted, nothing says
     * {@code null}, and the run-end sweep leaves no token.
     */
    @Test
    void timeoutDuringTheMintAbortsAndLeavesNoToken(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = job(r, "timeout(time: 1, unit: 'SECONDS') {\n  " + STEP + " { echo 'inside the block' }\n}");
        // Zendesk creates the token at once and answers after 3 s: the timeout fires first.
        zendesk.emulator().failNext("POST", MINT_PATH, 1, Fault.delay(Duration.ofSeconds(3)));
        WorkflowRun b = r.buildAndAssertStatus(Result.ABORTED, p);
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("null", b);
        r.assertLogNotContains("cannot write the token ledger", b);
        SweepFixture.awaitAllRevoked("the run-end sweep settled the interrupted mint", zendesk.emulator());
        assertAllRevoked(r);
        SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
    }

    @Test
    void parallelFailFastRevokesEveryBranch(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = job(r, "parallel(failFast: true,\n"
                + "  slow: { " + STEP + " { semaphore 'slow' } },\n"
                + "  failing: { " + STEP + " { semaphore 'failing'; error 'branch failed' } })");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("slow/1", b);
        SemaphoreStep.waitForStart("failing/1", b);
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(2);
        SemaphoreStep.success("failing/1", null);
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
        assertThat(zendesk.emulator().issuedTokens()).hasSize(2);
        for (IssuedToken t : zendesk.emulator().issuedTokens()) {
            r.assertLogContains("Revoked Zendesk token id " + t.id(), b);
        }
        assertAllRevoked(r);
    }

    @Test
    void twentyParallelBranchesEachGetTheirOwnToken(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = job(r, "def branches = [:]\n"
                + "for (int i = 0; i < 20; i++) {\n"
                + "  def n = i\n"
                + "  branches['b' + n] = {\n"
                + "    " + STEP + " {\n"
                + "      echo \"branch ${n} holds token id ${env.ZENDESK_OAUTH_TOKEN_ID}\"\n"
                + "    }\n"
                + "  }\n"
                + "}\n"
                + "parallel branches");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        Matcher m = Pattern.compile("branch (\\d+) holds token id (\\d+)").matcher(JenkinsRule.getLog(b));
        Set<String> branches = new HashSet<>();
        Set<Long> ids = new HashSet<>();
        while (m.find()) {
            branches.add(m.group(1));
            ids.add(Long.parseLong(m.group(2)));
        }
        assertThat(branches).hasSize(20);
        assertThat(ids).as("one distinct token per branch").hasSize(20);
        assertThat(zendesk.emulator().issuedTokens()).hasSize(20);
        assertAllRevoked(r);
    }

    // ------------------------------------------------------------------ masking and storage

    @Test
    void tokenIsMaskedAndNeverStored(JenkinsRule r) throws Exception {
        assumeFalse(Functions.isWindows(), "uses sh and base64");
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = job(r, "node {\n"
                + "  " + STEP + " {\n"
                + "    echo \"token=${env.ZENDESK_OAUTH_TOKEN}\"\n"
                + "    sh 'echo \"shell=$ZENDESK_OAUTH_TOKEN\"; printf %s \"$ZENDESK_OAUTH_TOKEN\" | base64 | tr -d \"\\\\n\"; echo'\n"
                + "    semaphore 'inside'\n"
                + "  }\n"
                + "}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("inside/1", b);
        String token = zendesk.emulator().issuedTokens().get(0).fullToken();
        // While the token is live: program.dat, build.xml, workflow/*.xml and the log hold no plain form.
        SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
        SemaphoreStep.success("inside/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));

        r.assertLogContains("token=****", b);
        r.assertLogContains("shell=****", b);
        SecretScan.of(zendesk.emulator()).assertNotIn("build log", JenkinsRule.getLog(b));
        SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
        SecretScan.of(zendesk.emulator()).assertNotUnder(p.getRootDir());
        // Jenkins' own files: global config, credentials store, all jobs and builds, the ledger. (Not the
        // workspace: what a script writes there on purpose is the script's business.)
        for (String name : List.of("config.xml", "credentials.xml", "jobs", "zendesk-oauth-token")) {
            assertThat(SecretScan.of(token, ADMIN_API_TOKEN).filesContaining(new File(r.jenkins.getRootDir(), name).toPath()))
                    .as("plain token or admin secret in $JENKINS_HOME/%s", name).isEmpty();
        }
        assertAllRevoked(r);
    }

    /** A failure whose message carries the token: masked in the log and in the stored error (build directory). */
    @Test
    void failureMessageIsMasked(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, STEP + " { error \"leaky failure ${env.ZENDESK_OAUTH_TOKEN}\" }"));
        String token = zendesk.emulator().issuedTokens().get(0).fullToken();
        r.assertLogContains("leaky failure ****", b);
        r.assertLogNotContains(token, b);
        SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
        assertAllRevoked(r);
    }

    // ------------------------------------------------------------------ bad input: clear failure, nothing sent

    private WorkflowRun assertRefusedBeforeMinting(JenkinsRule r, String script, String... expectedInLog) throws Exception {
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, script));
        for (String expected : expectedInLog) {
            r.assertLogContains(expected, b);
        }
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("\tat ", b);
        r.assertLogNotContains(ADMIN_API_TOKEN, b);
        assertThat(zendesk.emulator().requestCount("POST", MINT_PATH)).as("mint requests").isZero();
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
        assertAllRevoked(r);
        return b;
    }

    @Test
    void scopeAboveCeilingIsRefused(JenkinsRule r) throws Exception {
        addGlobal(adminCredentials(zendesk.emulator(), ADMIN_API_TOKEN, "tickets:read", ""));
        assertRefusedBeforeMinting(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read', 'users:write']) {"
                + " echo 'inside the block' }", "scopes: scopes users:write exceed the credential's allowed scopes tickets:read");
    }

    @Test
    void unknownScopeIsRefused(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        assertRefusedBeforeMinting(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickts:read']) {"
                + " echo 'inside the block' }", "scopes: unknown scope 'tickts:read'", "Valid scopes:");
    }

    @Test
    void noScopesAndNoDefaultsIsRefused(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        assertRefusedBeforeMinting(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "') { echo 'inside the block' }",
                "scopes: no scopes requested and the credential '" + CREDENTIALS_ID + "' has no default scopes");
    }

    @Test
    void missingCredentialIsRefused(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        assertRefusedBeforeMinting(r, "withZendeskToken(credentialsId: 'no-such-credential', scopes: ['tickets:read']) {"
                + " echo 'inside the block' }", "credentialsId: Could not find credentials entry with ID 'no-such-credential'");
    }

    @Test
    void wrongCredentialTypeIsRefused(JenkinsRule r) throws Exception {
        addGlobal(new StringCredentialsImpl(CredentialsScope.GLOBAL, CREDENTIALS_ID, "not an admin credential",
                Secret.fromString(ADMIN_API_TOKEN)));
        // The admin-looking secret of the wrong credential is never bound nor shown.
        assertRefusedBeforeMinting(r, STEP + " { echo 'inside the block' }", "credentialsId: ", "'" + CREDENTIALS_ID + "'");
    }

    @Test
    void badVariableNameIsRefused(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        assertRefusedBeforeMinting(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read'], variable: 'ZENDESK_URL') {"
                + " echo 'inside the block' }", "variable: 'ZENDESK_URL' is not a usable environment variable name");
    }

    // lifetimeMinutes: StepParametersTest.

    // ------------------------------------------------------------------ Zendesk refusals

    private WorkflowRun assertZendeskRefusal(JenkinsRule r, String expected) throws Exception {
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, STEP + " { echo 'inside the block' }"));
        r.assertLogContains(expected, b);
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("\tat ", b);
        r.assertLogNotContains(ADMIN_API_TOKEN, b);
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        return b;
    }

    @Test
    void wrongAdminTokenGives401(JenkinsRule r) throws Exception {
        addGlobal(adminCredentials(zendesk.emulator(), "not-the-admin-token", "", ""));
        WorkflowRun b = assertZendeskRefusal(r, "(HTTP 401)");
        r.assertLogContains("API token access is enabled", b);
        r.assertLogNotContains("not-the-admin-token", b);
        assertThat(ledger()).isEmpty();
    }

    /** 403 forbidden and 422 validation error: a definite refusal, named with its status; nothing was created. */
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 422})
    void refusedMintFailsNamingTheStatus(int status, JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        zendesk.emulator().failNext("POST", MINT_PATH, 1, Fault.status(status));
        assertZendeskRefusal(r, "(HTTP " + status + ")");
        assertThat(ledger()).isEmpty();
    }

    @Test
    void rateLimitIsWaitedOut(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        zendesk.emulator().failNext("POST", MINT_PATH, 3, Fault.rateLimited(1));
        WorkflowRun b = r.buildAndAssertSuccess(job(r, STEP + " { echo 'inside the block' }"));
        r.assertLogContains("inside the block", b);
        assertThat(zendesk.emulator().requestCount("POST", MINT_PATH)).as("a 429 is a wait, not a failure").isEqualTo(4);
        assertAllRevoked(r);
    }

    /** A 5xx answer to a mint is not proof that nothing was created: the intent stays for reconciliation. */
    @Test
    void serverErrorOnMintFailsAndKeepsIntent(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        zendesk.emulator().failNext("POST", MINT_PATH, 2, Fault.status(503));
        WorkflowRun b = assertZendeskRefusal(r, "HTTP 503");
        r.assertLogContains("The first attempt to mint a Zendesk token had an unknown outcome", b);
        r.assertLogContains("The outcome of two mints in a row is unknown", b);
        r.assertLogContains("the sweeper will find it by reconciliation and revoke it", b);
        assertThat(zendesk.emulator().requestCount("POST", MINT_PATH)).as("a mint with an unknown outcome is tried once more, with its own intent")
                .isEqualTo(2);
        // Nothing found to revoke yet (none was created), but the windows stay open: both entries are kept.
        assertThat(ledger()).hasSize(2).allSatisfy(e -> {
            assertThat(e.tokenId()).isEmpty();
            assertThat(e.state()).isIn(LedgerEntry.State.UNCERTAIN, LedgerEntry.State.MINTING);
        });
    }

    /** A revocation that keeps failing does not fail the build: the ledger keeps the token for the sweeper. */
    @Test
    void failedRevocationIsLeftToTheSweeper(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        zendesk.emulator().failNext("DELETE", MINT_PATH + "/", 10, Fault.status(503));
        WorkflowRun b = r.buildAndAssertSuccess(job(r, STEP + " { echo 'inside the block' }"));
        long id = mintedId(b);
        r.assertLogContains("Could not revoke Zendesk token id " + id, b);
        r.assertLogContains("the sweeper will retry", b);
        assertThat(zendesk.emulator().liveTokenIds()).containsExactly(id);
        LedgerEntry pending = ledger().get(0);
        assertThat(pending.tokenId()).contains(id);
        assertThat(pending.state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);
        // Once Zendesk recovers, the sweeper revokes it (finding the credential again from the entry's authority).
        // The sweep started when the run ended may still hold the entry (then "Sweep now" reports it in use), and
        // its last attempt may have failed: retry "Sweep now" until the ledger is settled.
        zendesk.emulator().clearFaults();
        Await.until("Sweep now revoked the token", () -> {
            if (zendesk.emulator().liveTokenCount() == 0 && ledger().isEmpty()) {
                return true;
            }
            ZendeskBrokerService.get().sweepNow();
            return false;
        }, () -> "; ledger " + ledger() + "; live " + zendesk.emulator().liveTokenIds());
        assertThat(zendesk.emulator().token(id).orElseThrow().revoked()).isTrue();
        assertAllRevoked(r);
    }

    // ------------------------------------------------------------------ other ways to use it

    @Test
    void declarativePipeline(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowRun b = r.buildAndAssertSuccess(job(r, "pipeline {\n"
                + "  agent none\n"
                + "  stages {\n"
                + "    stage('zendesk') {\n"
                + "      steps {\n"
                + "        " + STEP + " {\n"
                + "          echo \"declarative id=${env.ZENDESK_OAUTH_TOKEN_ID}\"\n"
                + "        }\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + "}"));
        r.assertLogContains("declarative id=" + mintedId(b), b);
        assertAllRevoked(r);
    }

    @Test
    void withCredentialsBinding(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        WorkflowRun b = r.buildAndAssertSuccess(job(r, "withCredentials([zendeskOAuthToken(credentialsId: '" + CREDENTIALS_ID
                + "', scopes: ['tickets:read', 'users:read'], variable: 'ZD')]) {\n"
                + "  echo \"bound id=${env.ZD_ID} url=${env.ZENDESK_URL} token=${env.ZD}\"\n"
                + "}"));
        long id = mintedId(b);
        r.assertLogContains("bound id=" + id + " url=" + zendesk.emulator().baseUrl() + " token=****", b);
        assertThat(zendesk.emulator().token(id).orElseThrow().scopes()).containsExactlyInAnyOrder("tickets:read", "users:read");
        assertAllRevoked(r);
    }

    @Test
    void freestyleWithSecretBuildWrapper(JenkinsRule r) throws Exception {
        addAdminCredentials(zendesk.emulator());
        TokenStepFixture.shortRetries();
        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding(CREDENTIALS_ID);
        binding.setScopes(List.of("tickets:read"));
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildWrappersList().add(new SecretBuildWrapper(List.of(binding)));
        AtomicReference<String> seenToken = new AtomicReference<>();
        AtomicReference<String> seenId = new AtomicReference<>();
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) throws InterruptedException, java.io.IOException {
                EnvVars env = build.getEnvironment(listener);
                seenToken.set(env.get("ZENDESK_OAUTH_TOKEN"));
                seenId.set(env.get("ZENDESK_OAUTH_TOKEN_ID"));
                listener.getLogger().println("freestyle token=" + env.get("ZENDESK_OAUTH_TOKEN"));
                return true;
            }
        });
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        long id = Long.parseLong(seenId.get());
        assertThat(zendesk.emulator().token(id).orElseThrow().fullToken()).isEqualTo(seenToken.get());
        r.assertLogContains("freestyle token=****", b);
        r.assertLogNotContains(seenToken.get(), b);
        r.assertLogContains("Revoked Zendesk token id " + id, b);
        assertAllRevoked(r);
    }

    @Test
    void insideNodeOnAnAgent(JenkinsRule r) throws Exception {
        assumeFalse(Functions.isWindows(), "uses sh");
        addAdminCredentials(zendesk.emulator());
        r.createOnlineSlave(Label.get("remote"));
        WorkflowRun b = r.buildAndAssertSuccess(job(r, "node('remote') {\n"
                + "  " + STEP + " {\n"
                + "    sh 'test \"${#ZENDESK_OAUTH_TOKEN}\" -eq 64 && echo \"agent sees id $ZENDESK_OAUTH_TOKEN_ID on $NODE_NAME\"'\n"
                + "  }\n"
                + "}"));
        r.assertLogContains("agent sees id " + mintedId(b) + " on ", b);
        assertAllRevoked(r);
    }

    // ------------------------------------------------------------------ snippet generator

    @Test
    void snippetizerRoundTrip(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        WithZendeskTokenStep step = new WithZendeskTokenStep("x");
        step.setScopes(List.of("tickets:read"));
        st.assertRoundTrip(step, "withZendeskToken(credentialsId: 'x', scopes: ['tickets:read']) {\n    // some block\n}");

        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding("x");
        binding.setScopes(List.of("tickets:read"));
        @SuppressWarnings("rawtypes")
        List<MultiBinding> bindings = Collections.singletonList(binding);
        st.assertRoundTrip(new BindingStep(bindings),
                "withCredentials([zendeskOAuthToken(credentialsId: 'x', scopes: ['tickets:read'])]) {\n    // some block\n}");

        // The form sends the scopes as one text field: it is split into the list.
        st.assertGenerateSnippet("{'stapler-class': '" + WithZendeskTokenStep.class.getName() + "', 'credentialsId': 'x', "
                        + "'scopes': 'tickets:read, users:read', 'variable': ''}",
                "withZendeskToken(credentialsId: 'x', scopes: ['tickets:read', 'users:read']) {\n    // some block\n}", null);
        SnippetizerTester.assertDocGeneration(WithZendeskTokenStep.class);
    }

    @Test
    void stepBuildsTheEquivalentBinding(JenkinsRule r) throws Exception {
        WithZendeskTokenStep step = new WithZendeskTokenStep("x");
        step.setScopes(new ArrayList<>(List.of("tickets:read users:read", "", "tickets:read")));
        step.setVariable("ZD");
        ZendeskOAuthTokenBinding expected = new ZendeskOAuthTokenBinding("x");
        expected.setScopes(List.of("tickets:read", "users:read"));
        expected.setVariable("ZD");
        r.assertEqualDataBoundBeans(expected, step.toBinding());
        assertThat(step.getScopes()).containsExactly("tickets:read", "users:read");
    }
}
