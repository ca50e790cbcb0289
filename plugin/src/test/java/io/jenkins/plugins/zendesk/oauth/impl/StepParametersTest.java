package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addAdminCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.BindingStep;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 15: {@code scopes} is a list or one space- or comma-separated string everywhere (step,
 * binding, Declarative, Snippet Generator), and {@code lifetimeMinutes} fails loudly before minting.
 */
@WithJenkins
class StepParametersTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private WorkflowRun run(JenkinsRule r, Result expected, String script) throws Exception {
        TokenStepFixture.shortRetries();
        addAdminCredentials(zendesk.emulator());
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return r.buildAndAssertStatus(expected, p);
    }

    /** Runs {@code script}, which mints one token; checks its scopes, and that it was used and revoked. */
    private void assertMintsBothScopes(JenkinsRule r, String script) throws Exception {
        WorkflowRun b = run(r, Result.SUCCESS, script);
        r.assertLogContains("inside id=", b);
        r.assertLogNotContains("ClassCastException", b);
        assertThat(zendesk.emulator().issuedTokens()).singleElement().satisfies(t ->
                assertThat(t.scopes()).containsExactly("tickets:read", "users:read"));
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        assertThat(TokenStepFixture.ledger()).isEmpty();
    }

    private static String declarative(String step) {
        return "pipeline {\n  agent none\n  stages {\n    stage('s') {\n      steps {\n        " + step + "\n      }\n    }\n  }\n}";
    }

    @Test
    void stepTakesASpaceSeparatedString(JenkinsRule r) throws Exception {
        assertMintsBothScopes(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: 'tickets:read users:read') {"
                + " echo \"inside id=${env.ZENDESK_OAUTH_TOKEN_ID}\" }");
    }

    @Test
    void stepTakesACommaSeparatedString(JenkinsRule r) throws Exception {
        assertMintsBothScopes(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: 'tickets:read, users:read') {"
                + " echo \"inside id=${env.ZENDESK_OAUTH_TOKEN_ID}\" }");
    }

    @Test
    void stepTakesAList(JenkinsRule r) throws Exception {
        assertMintsBothScopes(r, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read', 'users:read']) {"
                + " echo \"inside id=${env.ZENDESK_OAUTH_TOKEN_ID}\" }");
    }

    @Test
    void bindingTakesAString(JenkinsRule r) throws Exception {
        assertMintsBothScopes(r, "withCredentials([zendeskOAuthToken(credentialsId: '" + CREDENTIALS_ID
                + "', scopes: 'tickets:read users:read')]) { echo \"inside id=${env.ZENDESK_OAUTH_TOKEN_ID}\" }");
    }

    @Test
    void bindingTakesAList(JenkinsRule r) throws Exception {
        assertMintsBothScopes(r, "withCredentials([zendeskOAuthToken(credentialsId: '" + CREDENTIALS_ID
                + "', scopes: ['tickets:read', 'users:read'])]) { echo \"inside id=${env.ZENDESK_OAUTH_TOKEN_ID}\" }");
    }

    @Test
    void declarativeStepTakesAString(JenkinsRule r) throws Exception {
        assertMintsBothScopes(r, declarative("withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: 'tickets:read users:read') {"
                + " echo \"inside id=${env.ZENDESK_OAUTH_TOKEN_ID}\" }"));
    }

    @Test
    void declarativeBindingTakesAString(JenkinsRule r) throws Exception {
        assertMintsBothScopes(r, declarative("withCredentials([zendeskOAuthToken(credentialsId: '" + CREDENTIALS_ID
                + "', scopes: 'tickets:read,users:read')]) { echo \"inside id=${env.ZENDESK_OAUTH_TOKEN_ID}\" }"));
    }

    @Test
    void scopesOfAnotherTypeAreRefusedBeforeMinting(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, Result.FAILURE, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: 42) { echo 'inside the block' }");
        r.assertLogContains("scopes: give a list, e.g. scopes: ['tickets:read', 'users:read'], or one string", b);
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("\tat ", b);
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
    }

    @Test
    void snippetGeneratorRoundTripsBothForms(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        String expected = "withZendeskToken(credentialsId: 'x', scopes: ['tickets:read', 'users:read']) {\n    // some block\n}";
        WithZendeskTokenStep fromString = new WithZendeskTokenStep("x");
        fromString.setScopes("tickets:read users:read");
        st.assertRoundTrip(fromString, expected);
        WithZendeskTokenStep fromList = new WithZendeskTokenStep("x");
        fromList.setScopes(List.of("tickets:read", "users:read"));
        st.assertRoundTrip(fromList, expected);
        // The form's text field, space- or comma-separated.
        st.assertGenerateSnippet("{'stapler-class': '" + WithZendeskTokenStep.class.getName() + "', 'credentialsId': 'x', "
                + "'scopes': 'tickets:read users:read', 'variable': ''}", expected, null);

        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding("x");
        binding.setScopes("tickets:read, users:read");
        @SuppressWarnings("rawtypes")
        List<MultiBinding> bindings = Collections.singletonList(binding);
        st.assertRoundTrip(new BindingStep(bindings),
                "withCredentials([zendeskOAuthToken(credentialsId: 'x', scopes: ['tickets:read', 'users:read'])]) {\n    // some block\n}");
    }

    @Test
    void lifetimeMinutesIsRefusedBeforeMintingInScripted(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, Result.FAILURE, "withZendeskToken(credentialsId: '" + CREDENTIALS_ID
                + "', scopes: ['tickets:read'], lifetimeMinutes: 30) { echo 'inside the block' }");
        assertLifetimeRefused(r, b);
    }

    @Test
    void lifetimeMinutesIsRefusedBeforeMintingInDeclarative(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, Result.FAILURE, declarative("withZendeskToken(credentialsId: '" + CREDENTIALS_ID
                + "', scopes: ['tickets:read'], lifetimeMinutes: 30) { echo 'inside the block' }"));
        assertLifetimeRefused(r, b);
    }

    private void assertLifetimeRefused(JenkinsRule r, WorkflowRun b) throws Exception {
        r.assertLogContains("lifetimeMinutes: no longer a parameter. A token's lifetime is the setting of the OAuth client that mints it", b);
        r.assertLogContains("renews the token before it expires", b);
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("\tat ", b);
        assertThat(zendesk.emulator().issuedTokens()).extracting(IssuedToken::id).isEmpty();
        assertThat(TokenStepFixture.ledger()).isEmpty();
    }
}
