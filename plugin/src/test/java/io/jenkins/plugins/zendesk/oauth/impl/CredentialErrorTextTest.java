package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Result;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.util.Set;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Build errors caused by the admin credential name the Jenkins credential id and its client, say
 * when the credential's default scopes were at fault, show no internal field path, and call a
 * numeric id or a display name typed as the unique identifier what it is. Nothing is minted (issue 15).
 */
@WithJenkins
class CredentialErrorTextTest {
    private static final long ADMIN_ID = 7;
    private static final String CLIENT = "jenkins_ci";
    private static final long CLIENT_ID = 50600;
    private static final String SECRET = "S3cret-of-jenkins_ci-4e5f6a7b8c9d0e1f";
    private static final String ID = "zendesk-admin";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> ZendeskEmulator.start()
                .admin(ADMIN_ID, "jenkins-robot@example.com", "unused-api-token-1a2b")
                .confidentialClient(CLIENT_ID, CLIENT, SECRET, ADMIN_ID, null)
                .publicClient(50601, "browser_app", ADMIN_ID)
                .client(50602, "jenkins_blocks", Set.of("tickets:read")));

    private ZendeskAdminCredentialsImpl credential(String clientId, String secret, String client) {
        ClientCredentialsAuthentication auth = new ClientCredentialsAuthentication(clientId);
        auth.setClientSecret(Secret.fromString(secret));
        return new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, ID, "", zendesk.emulator().baseUrl(), "", auth, client);
    }

    private static String failingLog(JenkinsRule j, String scopes) throws Exception {
        TokenStepFixture.shortRetries();
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: '" + ID + "'" + scopes + ") { echo 'inside' }", true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogNotContains("inside", b);
        String log = JenkinsRule.getLog(b);
        assertThat(log).doesNotContain(SECRET).doesNotContain("authentication.").doesNotContain("\tat ");
        return log;
    }

    @Test
    void aWrongSecretNamesTheCredentialAndItsClient(JenkinsRule j) throws Exception {
        addGlobal(credential(CLIENT, "not-the-secret", ""));
        assertThat(failingLog(j, ", scopes: ['tickets:read']"))
                .contains("credential '" + ID + "' (client '" + CLIENT + "'): ")
                .contains("identifier or secret");
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).isZero();
    }

    @Test
    void aPublicClientNamesTheCredential(JenkinsRule j) throws Exception {
        addGlobal(credential("browser_app", SECRET, ""));
        assertThat(failingLog(j, ", scopes: ['tickets:read']"))
                .contains("credential '" + ID + "' (client 'browser_app'): ")
                .contains("Only confidential clients");
    }

    @Test
    void anEmptySecretIsNamedByItsLabel(JenkinsRule j) throws Exception {
        addGlobal(credential(CLIENT, "", ""));
        assertThat(failingLog(j, ", scopes: ['tickets:read']"))
                .contains("credential '" + ID + "' (client '" + CLIENT + "'): Client secret: the client secret is empty");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void theNumericIdTypedAsIdentifierIsCalledWhatItIs(JenkinsRule j) throws Exception {
        addGlobal(credential(Long.toString(CLIENT_ID), SECRET, ""));
        assertThat(failingLog(j, ", scopes: ['tickets:read']"))
                .contains("credential '" + ID + "' (client '" + CLIENT_ID + "'): Client unique identifier: that is the client's numeric id;"
                        + " enter its unique identifier (Admin Center › Apps and integrations › APIs › OAuth clients › the client › Unique identifier)");
    }

    @Test
    void theDisplayNameTypedAsIdentifierIsCalledWhatItIs(JenkinsRule j) throws Exception {
        addGlobal(credential("Jenkins CI", SECRET, ""));
        assertThat(failingLog(j, ", scopes: ['tickets:read']"))
                .contains("credential '" + ID + "'")
                .contains("Client unique identifier: that is the client's name; enter its unique identifier");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void defaultScopesOutsideTheClientsAllowedScopesSaySo(JenkinsRule j) throws Exception {
        ZendeskAdminCredentialsImpl c = credential(CLIENT, SECRET, "jenkins_blocks");
        // Jenkins has no ceiling; the minting client's allowed scopes in Zendesk do not include them.
        c.setDefaultScopes("users:write");
        addGlobal(c);
        assertThat(failingLog(j, ""))
                .contains("credential '" + ID + "' (client '" + CLIENT + "'): the block names no scopes, so the credential's default scopes"
                        + " (users:write) were asked for")
                .contains("allowed scopes");
        // The same scopes asked for by the block itself: no word about defaults.
        assertThat(failingLog(j, ", scopes: ['users:write']")).doesNotContain("default scopes").contains("credential '" + ID + "'");
    }

    @Test
    void formMessagesUseLabels(JenkinsRule j) {
        assertThat(CredentialErrorText.identifierMistake("50600")).startsWith("that is the client's numeric id");
        assertThat(CredentialErrorText.identifierMistake("Jenkins CI")).startsWith("that is the client's name");
        assertThat(CredentialErrorText.identifierMistake("jenkins_ci")).isNull();
        assertThat(CredentialErrorText.identifierMistake(" ")).isNull();
        assertThat(CredentialErrorText.identifierMistake("x".repeat(200) + " y")).startsWith("that is the client's name");
        // Too long to be any identifier: not read, the broker's length refusal names the field instead.
        assertThat(CredentialErrorText.identifierMistake("x".repeat(100_000) + " y")).isNull();
        FormValidation tooLong = j.jenkins.getDescriptorByType(ClientCredentialsAuthentication.DescriptorImpl.class)
                .doCheckClientId(j.jenkins, "x".repeat(100_000) + " y");
        assertThat(tooLong.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(tooLong.getMessage()).contains("too long (100002 characters");
        assertThat(CredentialErrorText.label("authentication.clientSecret")).isEqualTo("Client secret");
        assertThat(CredentialErrorText.label("scopes")).isEqualTo("scopes");
    }
}
