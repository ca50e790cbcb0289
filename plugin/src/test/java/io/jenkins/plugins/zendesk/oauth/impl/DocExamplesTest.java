package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every Groovy example in README.md and the pipeline guide runs as pasted (issue 15): each
 * {@code ```groovy} block is a whole Jenkinsfile, run in the sandbox against the Zendesk emulator
 * with the credential the docs describe, and must succeed, its {@code sh} calling Zendesk with the
 * block's token. A block that starts with {@code // Snippet} is only a piece of a Jenkinsfile and is
 * skipped. Every token is revoked at the end.
 */
@WithJenkins
class DocExamplesTest {
    private static final long ADMIN_ID = 7;
    private static final String CLIENT = "jenkins_ci";
    private static final String SECRET = "docs-example-secret-5d6e7f8a9b0c";
    private static final String SNIPPET = "// Snippet";
    private static final String WINDOWS_AGENT = "node('windows')";
    private static final String LONG_SHELL_PAUSE = "sleep 600";
    private static final String LONG_PYTHON_PAUSE = "time.sleep(600)";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> ZendeskEmulator.start()
                .admin(ADMIN_ID, "jenkins-robot@example.com", "unused-api-token-3c4d")
                .confidentialClient(50700, CLIENT, SECRET, ADMIN_ID, null));

    /** The credential of README's "Setup in Jenkins" (its Configuration as Code block), on the emulator. */
    private void addReadmeCredential(String allowed, String defaults) throws IOException {
        ClientCredentialsAuthentication auth = new ClientCredentialsAuthentication(CLIENT);
        auth.setClientSecret(Secret.fromString(SECRET));
        ZendeskAdminCredentialsImpl c = new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, "zendesk-admin",
                "Zendesk OAuth client credentials", zendesk.emulator().baseUrl(), "", auth, "");
        c.setAllowedScopes(allowed);
        c.setDefaultScopes(defaults);
        addGlobal(c);
    }

    @Test
    void readmeExamplesRunAsPasted(JenkinsRule j) throws Exception {
        addReadmeCredential("tickets:read tickets:write", "tickets:read");
        List<String> examples = groovyBlocks(document("README.md"));
        assertThat(examples).as("README's Groovy examples").hasSizeGreaterThanOrEqualTo(3);
        runAll(j, examples);
    }

    @Test
    void pipelineGuideExamplesRunAsPasted(JenkinsRule j) throws Exception {
        addReadmeCredential("", "");
        addGlobal(new StringCredentialsImpl(CredentialsScope.GLOBAL, "slack-webhook", "", Secret.fromString("https://hooks.example.com/x")));
        List<String> examples = groovyBlocks(document("docs/pipeline-guide.md"));
        assertThat(examples).as("the pipeline guide's Groovy examples").hasSizeGreaterThanOrEqualTo(4);
        runAll(j, examples);
    }

    private void runAll(JenkinsRule j, List<String> examples) throws Exception {
        TokenStepFixture.shortRetries();
        for (String example : examples) {
            if (example.startsWith(SNIPPET) || example.contains(WINDOWS_AGENT)) {
                continue; // a piece of a Jenkinsfile, or one that needs a Windows agent, which this controller has not
            }
            // The renewal examples pause ten minutes between requests to show a long job; the pause is
            // shortened here, everything else runs as written.
            example = example.replace(LONG_SHELL_PAUSE, "sleep 1").replace(LONG_PYTHON_PAUSE, "time.sleep(1)");
            int minted = zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens");
            WorkflowJob p = j.createProject(WorkflowJob.class);
            p.setDefinition(new CpsFlowDefinition(example, true));
            WorkflowRun b = j.buildAndAssertStatus(Result.SUCCESS, p);
            j.assertLogNotContains("MissingContextVariableException", b);
            assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).as("a token minted by:%n%s", example).isGreaterThan(minted);
            assertThat(ZendeskBrokerService.get().ledgerEntries()).as("outstanding after:%n%s", example).isEmpty();
        }
        assertThat(zendesk.emulator().requestCount(null, "/api/v2/tickets") + zendesk.emulator().requestCount(null, "/api/v2/users/me"))
                .as("the examples' sh steps called Zendesk").isPositive();
    }

    /** The project's file, found from the test's working directory (the project or its plugin module). */
    private static String document(String relative) throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("plugin"))) {
                return Files.readString(candidate, StandardCharsets.UTF_8);
            }
        }
        throw new IOException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** The contents of every {@code ```groovy} fenced block, trimmed. */
    static List<String> groovyBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && line.strip().equals("```groovy")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current.toString().strip());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }
}
