package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addAdminCredentials;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.ledger;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.zendesk.oauth.ZendeskTokenGlobalConfiguration;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.time.Duration;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** A block under Zendesk's rate limit: it says that it waits, fails past the setting, and its revocation does not wait long. */
@WithJenkins
class RateLimitStepTest {
    private static final String STEP = "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read'])";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private WorkflowRun run(JenkinsRule r, Result expected) throws Exception {
        TokenStepFixture.shortRetries();
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("node { " + STEP + " { echo 'inside the block' } }", true));
        return r.assertBuildStatus(expected, p.scheduleBuild2(0));
    }

    @Test
    void aBlockWaitingForTheRateLimitSaysSoOnceAndGoesOn(JenkinsRule r) throws Exception {
        // Two requests per 20 s, used up by others: the mint waits for the next window, where the revocation fits too.
        zendesk.emulator().rateLimit(2, Duration.ofSeconds(20));
        zendesk.emulator().consumeRateLimit(2);

        WorkflowRun b = run(r, Result.SUCCESS);

        String log = JenkinsRule.getLog(b);
        assertThat(log).containsOnlyOnce("Zendesk rate limit reached on " + zendesk.emulator().baseUrl() + "; waiting ")
                .containsPattern("waiting \\d+ s \\(\\d+ requests ahead\\)")
                .contains("inside the block");
        SweepFixture.awaitAllRevoked("the block's revocation or a sweep", zendesk.emulator());
    }

    @Test
    void pastTheLongestWaitTheBlockFailsNamingTheLimitAndTheSetting(JenkinsRule r) throws Exception {
        ZendeskTokenGlobalConfiguration.get().setRateLimitWaitMinutes(0);
        zendesk.emulator().rateLimit(50, Duration.ofMinutes(1));
        zendesk.emulator().consumeRateLimit(50);

        WorkflowRun b = run(r, Result.FAILURE);

        String log = JenkinsRule.getLog(b);
        assertThat(log).contains("Zendesk's rate limit on " + zendesk.emulator().baseUrl())
                .contains("50 requests a minute for the whole account")
                .contains("Manage Jenkins > System > Zendesk OAuth token > Longest wait for Zendesk's rate limit")
                .doesNotContain("inside the block");
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
        assertThat(ledger()).isEmpty();
    }

    @Test
    void revocationUnderTheLimitIsLeftPendingWithTheReasonOnTheOutstandingTokensPage(JenkinsRule r) throws Exception {
        // One request a minute: the mint takes it, and the revocation would have to wait longer than a few seconds.
        zendesk.emulator().rateLimit(1, Duration.ofMinutes(1));

        WorkflowRun b = run(r, Result.SUCCESS);

        assertThat(JenkinsRule.getLog(b)).contains("Could not revoke Zendesk token id").contains("waiting for Zendesk's rate limit");
        LedgerEntry pending = ledger().stream().findFirst().orElse(null);
        if (pending != null) { // the sweeper may already have revoked it, as soon as the limit allowed
            assertThat(pending.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("waiting for Zendesk's rate limit"));
            HtmlPage page = r.createWebClient().goTo("manage/zendesk-tokens/");
            assertThat(page.asNormalizedText()).contains("waiting for Zendesk's rate limit");
        }
        SweepFixture.awaitAllRevoked("the block's revocation or a sweep", zendesk.emulator());
    }
}
