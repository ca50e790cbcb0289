package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Item;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 4: the step's credentials list (the snippet generator's fill method) lacked
 * {@code @POST}. It answers POST only, and lists credentials only to users who may configure the job;
 * so does the binding's list ({@code withCredentials} and the freestyle wrapper), which credentials-binding
 * answers to GET as well.
 */
@WithJenkins
class StepFillMethodTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @Test
    void fillAnswersPostOnlyAndListsOnlyForConfigurers(JenkinsRule j) throws Exception {
        assertFillAnswersPostOnlyAndListsOnlyForConfigurers(j, WithZendeskTokenStep.class);
    }

    @Test
    void bindingFillAnswersPostOnlyAndListsOnlyForConfigurers(JenkinsRule j) throws Exception {
        assertFillAnswersPostOnlyAndListsOnlyForConfigurers(j, ZendeskOAuthTokenBinding.class);
    }

    private void assertFillAnswersPostOnlyAndListsOnlyForConfigurers(JenkinsRule j, Class<?> describable) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        TokenStepFixture.addAdminCredentials(zendesk.emulator());
        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.EXTENDED_READ, Item.CONFIGURE).everywhere().to("configurer")
                .grant(Jenkins.READ, Item.READ, CredentialsProvider.VIEW).everywhere().to("reader"));
        Map<String, String> params = Map.of("credentialsId", "");

        WebForms.Reply get = WebForms.call(j, HttpMethod.GET, "configurer", "job/p/", describable,
                "fillCredentialsIdItems", params);
        assertThat(get.status()).isBetween(400, 499);
        assertThat(get.body()).doesNotContain(TokenStepFixture.CREDENTIALS_ID);

        WebForms.Reply post = WebForms.call(j, HttpMethod.POST, "configurer", "job/p/", describable,
                "fillCredentialsIdItems", params);
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.body()).contains(TokenStepFixture.CREDENTIALS_ID);

        WebForms.Reply reader = WebForms.call(j, HttpMethod.POST, "reader", "job/p/", describable,
                "fillCredentialsIdItems", params);
        assertThat(reader.body()).doesNotContain(TokenStepFixture.CREDENTIALS_ID);
        WebForms.Reply anonymous = WebForms.call(j, HttpMethod.POST, null, "job/p/", describable,
                "fillCredentialsIdItems", params);
        assertThat(anonymous.body()).doesNotContain(TokenStepFixture.CREDENTIALS_ID);
        assertThat(p.getBuilds()).isEmpty();
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }
}
