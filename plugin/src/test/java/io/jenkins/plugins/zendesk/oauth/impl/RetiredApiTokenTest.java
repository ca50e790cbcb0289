package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.ADMIN_API_TOKEN;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addAdminCredentials;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.ledger;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * An API-token credential once Zendesk has retired API tokens: the build says why, and says it before the mint
 * that fails (Zendesk deactivates idle API tokens since 2026-07-28 and all of them on 2027-04-30). Issue 17.
 */
@WithJenkins
class RetiredApiTokenTest {
    private static final String NOTICE = "Zendesk admin credential '" + CREDENTIALS_ID + "': Zendesk deactivates all API tokens on 2027-04-30";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private WorkflowRun build(JenkinsRule r, Result expected) throws Exception {
        TokenStepFixture.shortRetries();
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {"
                + " echo 'inside the block' }", true));
        return r.buildAndAssertStatus(expected, p);
    }

    @Test
    void aRetiredApiTokenFailsTheBuildNamingZendesksRetirementAfterTheDeprecationLine(JenkinsRule r) throws Exception {
        zendesk.emulator().apiTokenAccessEnabled(false); // what Zendesk answers once the token is deactivated: 401 to Basic token auth

        WorkflowRun b = build(r, Result.FAILURE);

        String log = JenkinsRule.getLog(b);
        String refusal = "Zendesk rejected the API token of " + TokenStepFixture.EMAIL;
        assertThat(log).contains(NOTICE, refusal, "deactivates API tokens that have not been used for a while (since 2026-07-28)",
                "all API tokens on 2027-04-30", "switch this credential to OAuth client credentials", "\"Migrating from API tokens\"");
        assertThat(log.indexOf(NOTICE)).as("the deprecation line comes before the failed mint").isLessThan(log.indexOf(refusal));
        assertThat(log).doesNotContain("inside the block", ADMIN_API_TOKEN, "\tat ");
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
        assertThat(ledger()).isEmpty();
    }

    @Test
    void whileApiTokensStillWorkTheDeprecationLineComesBeforeTheMint(JenkinsRule r) throws Exception {
        WorkflowRun b = build(r, Result.SUCCESS);

        String log = JenkinsRule.getLog(b);
        assertThat(log.indexOf(NOTICE)).isNotNegative().isLessThan(log.indexOf("Minted Zendesk token id"));
        assertThat(log).contains("inside the block");
        assertThat(zendesk.emulator().issuedTokens()).singleElement().matches(IssuedToken::revoked);
        assertThat(ledger()).isEmpty();
    }
}
