package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart inside the block: only ids survive (in program.dat, in the Unbinder), the
 * token value does not, and the block end after resume still revokes the token.
 */
class WithZendeskTokenStepRestartTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    /** Outlives the Jenkins sessions, as the real Zendesk outlives a controller restart. */
    private ZendeskEmulator zendesk;

    @BeforeAll
    static void allowEmulatorSite() {
        TokenStepFixture.allowAnyHost();
    }

    @AfterAll
    static void restoreHostPolicy() {
        TokenStepFixture.restoreHostPolicy();
    }

    @BeforeEach
    void startZendesk() {
        zendesk = TokenStepFixture.startEmulator();
    }

    @AfterEach
    void stopZendesk() {
        if (zendesk != null) {
            zendesk.close();
        }
    }

    @Test
    void restartInsideTheBlockStillRevokes() throws Throwable {
        sessions.then(r -> {
            TokenStepFixture.shortRetries();
            TokenStepFixture.addAdminCredentials(zendesk);
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n"
                    + "  semaphore 'wait'\n"
                    + "  echo \"after restart: id=${env.ZENDESK_OAUTH_TOKEN_ID} length=${env.ZENDESK_OAUTH_TOKEN.length()}\"\n"
                    + "}", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            assertThat(zendesk.liveTokenCount()).isEqualTo(1);
            List<LedgerEntry> entries = TokenStepFixture.ledger();
            assertThat(entries).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.LIVE));
        });
        sessions.then(r -> {
            TokenStepFixture.shortRetries();
            WorkflowRun b = r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            long id = zendesk.issuedTokens().get(0).id();
            // program.dat, build.xml and the log hold ids only.
            TokenStepFixture.assertNoSecretsUnder(b.getRootDir(), zendesk);
            assertThat(zendesk.liveTokenIds()).containsExactly(id);
            SemaphoreStep.success("wait/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            // The environment (token and id) was restored from the encrypted program state.
            r.assertLogContains("after restart: id=" + id + " length=64", b);
            r.assertLogContains("Revoked Zendesk token id " + id + " in ", b);
            assertThat(zendesk.liveTokenCount()).isZero();
            assertThat(TokenStepFixture.ledger()).isEmpty();
            TokenStepFixture.assertNoSecretsUnder(b.getRootDir(), zendesk);
        });
    }
}
