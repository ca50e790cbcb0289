package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.fixture.Await;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart inside the block: only ids survive (in program.dat), the token value does
 * not, so the resumed block mints its next generation and the block end revokes every one.
 */
class WithZendeskTokenStepRestartTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    /** Outlives the Jenkins sessions, as the real Zendesk outlives a controller restart. */
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @Test
    void restartInsideTheBlockStillRevokes() throws Throwable {
        sessions.then(r -> {
            TokenStepFixture.shortRetries();
            TokenStepFixture.addAdminCredentials(zendesk.emulator());
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n"
                    + "  semaphore 'wait'\n"
                    + "  echo \"after restart: id=${env.ZENDESK_OAUTH_TOKEN_ID} length=${env.ZENDESK_OAUTH_TOKEN.length()}\"\n"
                    + "}", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
            List<LedgerEntry> entries = TokenStepFixture.ledger();
            assertThat(entries).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.LIVE));
        });
        sessions.then(r -> {
            TokenStepFixture.shortRetries();
            WorkflowRun b = r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            long first = zendesk.emulator().issuedTokens().get(0).id();
            // program.dat, build.xml and the log hold ids only.
            SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
            // The value died with the old controller: the resumed block mints the next generation (and retires the first).
            Await.until("a generation minted after the restart", () -> zendesk.emulator().issuedTokens().size() == 2);
            long resumed = zendesk.emulator().issuedTokens().get(1).id();
            SemaphoreStep.success("wait/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("Minted Zendesk token id " + resumed + " for this block after the controller restart", b);
            r.assertLogContains("after restart: id=" + resumed + " length=64", b);
            r.assertLogContains("Revoked Zendesk token id " + resumed + " in ", b);
            assertThat(zendesk.emulator().token(first).orElseThrow().revoked()).as("the generation from before the restart").isTrue();
            assertThat(zendesk.emulator().liveTokenCount()).isZero();
            assertThat(TokenStepFixture.ledger()).isEmpty();
            SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
        });
    }

    /**
     * With OAuth client credentials: Jenkins' shutdown revokes the control token it held, and after
     * the restart the block end obtains a new one to revoke the block's token.
     */
    @Test
    void restartWithClientCredentialsRevokesTheControlTokenAtShutdownAndTheBlockTokenAfter() throws Throwable {
        String secret = "Cl1entS3cret-restart-0123456789abcdef0123";
        zendesk.emulator().confidentialClient(50600, "jenkins_cc", secret, TokenStepFixture.ADMIN_USER_ID, null);
        long[] control = new long[1];
        sessions.then(r -> {
            TokenStepFixture.shortRetries();
            ClientCredentialsAuthentication auth = new ClientCredentialsAuthentication("jenkins_cc");
            auth.setClientSecret(hudson.util.Secret.fromString(secret));
            TokenStepFixture.addGlobal(new ZendeskAdminCredentialsImpl(com.cloudbees.plugins.credentials.CredentialsScope.GLOBAL, "cc", "cc",
                    zendesk.emulator().baseUrl(), "", auth, ""));
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: 'cc', scopes: ['tickets:read']) {\n"
                    + "  semaphore 'wait'\n"
                    + "}", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            assertThat(zendesk.emulator().liveTokenCount()).as("the block token and the control token").isEqualTo(2);
            control[0] = zendesk.emulator().issuedTokens().stream().filter(t -> t.scopes().equals(List.of("read", "write"))).findFirst().orElseThrow().id();
        });
        sessions.then(r -> {
            assertThat(zendesk.emulator().token(control[0]).orElseThrow().revoked()).as("revoked at shutdown").isTrue();
            TokenStepFixture.shortRetries();
            WorkflowRun b = r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            Await.until("the block's generation after the restart", () ->
                    zendesk.emulator().issuedTokens().stream().filter(t -> t.scopes().equals(List.of("tickets:read"))).count() == 2);
            SemaphoreStep.success("wait/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            List<Long> blockTokens = zendesk.emulator().issuedTokens().stream().filter(t -> t.scopes().equals(List.of("tickets:read"))).map(t -> t.id()).toList();
            assertThat(blockTokens).as("the first generation and the one minted after the restart").hasSize(2);
            r.assertLogContains("Revoked Zendesk token id " + blockTokens.get(1) + " in ", b);
            assertThat(zendesk.emulator().clientCredentialsGrants()).as("one grant per Jenkins session").isEqualTo(2);
            io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService.get().releaseControlTokens();
            assertThat(zendesk.emulator().liveTokenCount()).isZero();
            assertThat(TokenStepFixture.ledger()).isEmpty();
        });
    }
}
