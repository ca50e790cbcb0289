package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Result;
import hudson.security.ACL;
import hudson.util.Secret;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 2: a stored admin Bearer token that ends with a line break (as JCasC reads it
 * from a secret file) made the JDK refuse the header with a message quoting it whole, and the token
 * appeared in the build log, in {@code ledger.json.journal} and on Outstanding Zendesk tokens. Now
 * surrounding whitespace is trimmed, control characters inside a secret are refused with a text
 * naming the field, and nothing quotes the secret.
 */
@WithJenkins
class SecretControlCharactersTest {
    private static final String BEARER = "4d2c9b1a4d2c9b1a4d2c9b1a4d2c9b1a4d2c9b1a4d2c9b1a4d2c9b1a4d2c9b1a";
    private static final String HALF_1 = "6e1f6e1f6e1f6e1f6e1f";
    private static final String HALF_2 = "8a0b8a0b8a0b8a0b8a0b";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> ZendeskEmulator.start().adminBearer(7, "robot@example.com", BEARER).client(50328, "jenkins_ci"));

    @TempDir
    Path secrets;

    private WorkflowRun build(JenkinsRule j, String credentialsId) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: '" + credentialsId + "', scopes: ['tickets:read']) {\n"
                + "  echo 'inside'\n}", true));
        return p.scheduleBuild2(0).get();
    }

    private static void assertNowhere(JenkinsRule j, WorkflowRun b, SecretScan secrets) throws Exception {
        secrets.assertNotIn("build log", JenkinsRule.getLog(b));
        secrets.assertNotUnder(j.jenkins.getRootDir());
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            secrets.assertNotIn("outstanding tokens page", wc.goTo("zendesk-tokens/").getWebResponse().getContentAsString());
        }
    }

    @Test
    void aBearerTokenEndingInALineBreakLoadedByJCasCFromAFileWorks(JenkinsRule j) throws Exception {
        Path token = Files.writeString(secrets.resolve("zendesk-admin-token"), BEARER + "\n", StandardCharsets.UTF_8);
        Path yaml = Files.writeString(secrets.resolve("jenkins.yaml"), String.join("\n",
                "credentials:",
                "  system:",
                "    domainCredentials:",
                "      - credentials:",
                "          - zendeskAdmin:",
                "              scope: GLOBAL",
                "              id: zendesk-admin-bearer",
                "              site: \"" + zendesk.emulator().baseUrl() + "\"",
                "              client: \"50328\"",
                "              allowedScopes: \"tickets:read\"",
                "              authentication:",
                "                oauthToken:",
                "                  accessToken: \"${readFile:" + token + "}\"",
                ""), StandardCharsets.UTF_8);
        ConfigurationAsCode.get().configure(yaml.toString());
        ZendeskAdminCredentialsImpl stored = CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItemGroup(
                ZendeskAdminCredentialsImpl.class, j.jenkins, ACL.SYSTEM2, Collections.emptyList()), CredentialsMatchers.withId("zendesk-admin-bearer"));
        assertThat(stored).isNotNull();
        assertThat(((BearerTokenAuthentication) stored.getAuthentication()).getAccessToken().getPlainText())
                .as("JCasC keeps the file's line break").isEqualTo(BEARER + "\n");

        WorkflowRun b = build(j, "zendesk-admin-bearer");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("inside", b);
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        assertThat(ZendeskBrokerService.get().ledgerEntries()).isEmpty();
        assertNowhere(j, b, SecretScan.of(zendesk.emulator()).and(BEARER + "\n"));
    }

    @Test
    void aLineBreakInsideASecretIsRefusedNamingTheFieldAndQuotingNothing(JenkinsRule j) throws Exception {
        TokenStepFixture.addGlobal(new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, "broken", null, zendesk.emulator().baseUrl(), null,
                new BearerTokenAuthentication(Secret.fromString(HALF_1 + "\r\n" + HALF_2)), "50328"));
        WorkflowRun b = build(j, "broken");
        j.assertBuildStatus(Result.FAILURE, b);
        j.assertLogContains("Admin OAuth access token: the OAuth access token contains a control character", b);
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
        assertNowhere(j, b, SecretScan.of(zendesk.emulator()).and(HALF_1 + "\r\n" + HALF_2));
    }

    @Test
    void aLineBreakInsideAReferencedSecretTextIsReportedOnTheReference(JenkinsRule j) throws Exception {
        TokenStepFixture.addGlobal(new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(CredentialsScope.GLOBAL, "api-token-text",
                null, Secret.fromString(HALF_1 + "\n" + HALF_2)));
        TokenStepFixture.addGlobal(new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, "by-reference", null, zendesk.emulator().baseUrl(),
                "robot@example.com", new SecretTextApiTokenAuthentication("api-token-text"), "50328"));
        WorkflowRun b = build(j, "by-reference");
        j.assertBuildStatus(Result.FAILURE, b);
        j.assertLogContains("Secret text credential: the Secret text credential 'api-token-text' contains a control character", b);
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
        assertNowhere(j, b, SecretScan.of(zendesk.emulator()).and(HALF_1 + "\n" + HALF_2));
    }
}
