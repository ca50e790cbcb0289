package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.addCredential;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.assertAllRevoked;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.awaitNoOtherSweep;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.buildLeavingAPendingToken;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.oneAttemptPerCall;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.onlyEntry;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 4: Outstanding Zendesk tokens needs only Overall/Manage, and showed every job's
 * name regardless of the viewer's Item/Read. A job the viewer may not read is shown as a
 * placeholder, without link or error text; its token id, site and state stay visible.
 */
@WithJenkins
class OutstandingTokensVisibilityTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @Test
    void jobNamesAreShownOnlyToThoseWhoMayReadTheJob(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        oneAttemptPerCall();
        WorkflowJob p = pipeline(j, "payroll-export", "echo 'inside'");
        buildLeavingAPendingToken(j, zendesk.emulator(), p);
        awaitNoOtherSweep();
        String tokenId = String.valueOf(onlyEntry().tokenId().orElseThrow());

        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Jenkins.MANAGE).everywhere().to("manager", "jobReader")
                .grant(Item.READ).onItems(p).to("jobReader"));
        try (JenkinsRule.WebClient manager = j.createWebClient().withBasicApiToken("manager");
             JenkinsRule.WebClient jobReader = j.createWebClient().withBasicApiToken("jobReader");
             JenkinsRule.WebClient admin = j.createWebClient().withBasicApiToken("admin")) {
            String hidden = manager.goTo("zendesk-tokens/").getWebResponse().getContentAsString();
            assertThat(hidden).contains(tokenId).contains("(a job you cannot see)").doesNotContain("payroll-export")
                    .contains("(not shown: it concerns a job you cannot see)");
            assertThat(jobReader.goTo("zendesk-tokens/").getWebResponse().getContentAsString()).contains("payroll-export#1")
                    .contains("job/payroll-export/1/");
            assertThat(admin.goTo("zendesk-tokens/").getWebResponse().getContentAsString()).contains("payroll-export#1");
        }
        ZendeskBrokerService.get().sweepNow();
        assertAllRevoked(zendesk.emulator());
    }
}
