package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 4: a secret pasted into the credential's OAuth client field was echoed in the
 * build log ("no OAuth client with unique identifier '...'"). A token-like identifier is masked, and
 * a value that is no identifier at all is not echoed.
 */
@WithJenkins
class OAuthClientFieldTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @ParameterizedTest
    @ValueSource(strings = {
        "Adm1nApiT0kenXyZ9876543210abcdefGHIJKLmn", // an API token: a valid-looking identifier
        "correct horse battery staple", // a password: no identifier at all
    })
    void aSecretInTheClientFieldNeverReachesTheBuildLog(String pasted, JenkinsRule j) throws Exception {
        TokenStepFixture.addGlobal(new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, "pasted", null, zendesk.emulator().baseUrl(),
                TokenStepFixture.EMAIL, new ApiTokenAuthentication(Secret.fromString(TokenStepFixture.ADMIN_API_TOKEN)), pasted));
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: 'pasted', scopes: ['tickets:read']) { echo 'inside' }", true));
        WorkflowRun b = p.scheduleBuild2(0).get();
        j.assertBuildStatus(Result.FAILURE, b);
        j.assertLogContains("client", b);
        j.assertLogNotContains(pasted, b);
        assertThat(JenkinsRule.getLog(b)).doesNotContain("horse").doesNotContain("9876543210");
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }
}
