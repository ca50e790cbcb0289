package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.addCredential;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Item;
import io.jenkins.plugins.zendesk.oauth.ZendeskAuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.net.URI;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Who may read the token audit trail (page, JSON, CSV) and a build's tokens page; what the JSON,
 * {@code tree=} and CSV hold; that no page shows a secret.
 */
@WithJenkins
class TokenAuditPermissionTest {
    private static final String AUDIT = "manage/zendesk-tokens/audit/";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @AfterEach
    void disableSystemRead() {
        Jenkins.SYSTEM_READ.setEnabled(false);
    }

    /** Two builds of "secret-job" and one of "other", each holding one token; security on. */
    private WorkflowRun twoJobs(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        String block = "withZendeskToken(credentialsId: 'zendesk-admin', scopes: ['tickets:read']) { echo 'x' }";
        WorkflowJob secretJob = j.createProject(WorkflowJob.class, "secret-job");
        secretJob.setDefinition(new CpsFlowDefinition(block, true));
        j.buildAndAssertSuccess(secretJob);
        WorkflowRun second = j.buildAndAssertSuccess(secretJob);
        WorkflowJob other = j.createProject(WorkflowJob.class, "other");
        other.setDefinition(new CpsFlowDefinition(block, true));
        j.buildAndAssertSuccess(other);
        ZendeskAuditTrail.get().flush();

        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        Jenkins.SYSTEM_READ.setEnabled(true);
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Jenkins.SYSTEM_READ).everywhere().to("auditor")
                .grant(Jenkins.READ, Jenkins.MANAGE).everywhere().to("manager")
                .grant(Jenkins.READ).everywhere().to("reader")
                .grant(Item.READ).onItems(secretJob).to("reader"));
        return second;
    }

    private static int status(JenkinsRule.WebClient wc, String path) throws Exception {
        wc.setThrowExceptionOnFailingStatusCode(false);
        wc.setRedirectEnabled(false);
        Page page = wc.getPage(new WebRequest(URI.create(wc.getContextPath() + path).toURL(), HttpMethod.GET));
        return page.getWebResponse().getStatusCode();
    }

    private static String get(JenkinsRule.WebClient wc, String path) throws Exception {
        return wc.goTo(path, null).getWebResponse().getContentAsString();
    }

    @Test
    void theTrailNeedsAdministerOrSystemReadAndAnonymousIsRefused(JenkinsRule j) throws Exception {
        twoJobs(j);
        for (String path : List.of(AUDIT, AUDIT + "api/json?depth=1", AUDIT + "export")) {
            assertThat(status(j.createWebClient().login("admin"), path)).as("admin " + path).isEqualTo(200);
            assertThat(status(j.createWebClient().login("auditor"), path)).as("SystemRead " + path).isEqualTo(200);
            assertThat(status(j.createWebClient().login("manager"), path)).as("Manage only " + path).isEqualTo(403);
            assertThat(status(j.createWebClient().login("reader"), path)).as("Read only " + path).isEqualTo(403);
            JenkinsRule.WebClient anonymous = j.createWebClient();
            anonymous.setThrowExceptionOnFailingStatusCode(false);
            anonymous.setRedirectEnabled(false);
            Page refused = anonymous.getPage(new WebRequest(URI.create(anonymous.getContextPath() + path).toURL(), HttpMethod.GET));
            // Refused: 403, or Jenkins' sign-in form in place of the page.
            String body = refused.getWebResponse().getContentAsString();
            assertThat(body).as("anonymous " + path).doesNotContain("secret-job");
            assertThat(refused.getWebResponse().getStatusCode() == 403 || body.contains("<title>Sign in")).as("anonymous " + path).isTrue();
        }
        // SystemRead reads the trail, not the outstanding tokens page above it, and cannot act there.
        assertThat(status(j.createWebClient().login("auditor"), "manage/zendesk-tokens/")).isEqualTo(403);
        JenkinsRule.WebClient auditor = j.createWebClient().login("auditor");
        auditor.setThrowExceptionOnFailingStatusCode(false);
        assertThat(auditor.getPage(new WebRequest(URI.create(auditor.getContextPath() + "manage/zendesk-tokens/sweep").toURL(),
                HttpMethod.POST)).getWebResponse().getStatusCode()).isEqualTo(403);
    }

    @Test
    void theBuildPageNeedsItemReadAndShowsOnlyItsBuild(JenkinsRule j) throws Exception {
        WorkflowRun second = twoJobs(j);
        List<AuditRecord> all = AuditFixture.records();
        long ownToken = all.stream().filter(r -> r.job().equals("secret-job") && r.build() == 2).findFirst().orElseThrow().tokenId();

        String page = get(j.createWebClient().login("reader"), second.getUrl() + "zendesk-tokens/");
        assertThat(page).contains("Token " + ownToken);
        all.stream().filter(r -> r.tokenId() != ownToken).forEach(r -> assertThat(page).doesNotContain("Token " + r.tokenId()));
        assertThat(get(j.createWebClient().login("reader"), second.getUrl())).as("sidebar link").contains("zendesk-tokens");

        WorkflowRun otherRun = ((WorkflowJob) j.jenkins.getItemByFullName("other")).getLastBuild();
        assertThat(status(j.createWebClient().login("reader"), otherRun.getUrl() + "zendesk-tokens/")).as("no Item/Read").isEqualTo(404);
        JenkinsRule.WebClient anonymous = j.createWebClient();
        anonymous.setThrowExceptionOnFailingStatusCode(false);
        Page refused = anonymous.getPage(new WebRequest(URI.create(anonymous.getContextPath() + second.getUrl() + "zendesk-tokens/").toURL(),
                HttpMethod.GET));
        assertThat(refused.getWebResponse().getContentAsString()).as("anonymous").doesNotContain("Token " + ownToken);
    }

    @Test
    void jsonTreeAndCsvCarryTheFilteredRecordsAndNoSecret(JenkinsRule j) throws Exception {
        twoJobs(j);
        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        ObjectMapper json = new ObjectMapper();

        JsonNode all = json.readTree(get(admin, AUDIT + "api/json?depth=1"));
        assertThat(all.path("records")).hasSize(6);
        assertThat(all.path("records").get(0).path("job").asText()).isEqualTo("other");
        assertThat(all.path("records").get(0).path("event").asText()).isEqualTo("revoked");
        assertThat(all.path("hasMore").asBoolean()).isFalse();

        JsonNode tree = json.readTree(get(admin, AUDIT + "api/json?tree=records[tokenId,event]&job=secret-job&event=minted"));
        assertThat(tree.path("records")).hasSize(2);
        tree.path("records").forEach(r -> assertThat(r.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("tokenId", "event"));
        assertThat(tree.has("offset")).as("tree= leaves out what it does not name").isFalse();

        long token = tree.path("records").get(0).path("tokenId").asLong();
        JsonNode oneBox = json.readTree(get(admin, AUDIT + "api/json?depth=1&q=" + token));
        assertThat(oneBox.path("records")).hasSize(2).allSatisfy(r -> assertThat(r.path("tokenId").asLong()).isEqualTo(token));

        JsonNode paged = json.readTree(get(admin, AUDIT + "api/json?depth=1&size=4&offset=4"));
        assertThat(paged.path("records")).hasSize(2);
        JsonNode first = json.readTree(get(admin, AUDIT + "api/json?depth=1&size=4"));
        assertThat(first.path("hasMore").asBoolean()).isTrue();

        String csv = get(admin, AUDIT + "export?job=secret-job");
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).startsWith("time,event,site,token_id,");
        assertThat(lines).hasSize(5); // header and two builds' mint and revocation, oldest first
        assertThat(lines[1]).contains(",minted,").contains("secret-job");

        JsonNode bad = json.readTree(get(admin, AUDIT + "api/json?token=12x"));
        assertThat(bad.path("error").asText()).contains("token").contains("digits only");

        String html = get(admin, AUDIT + "?q=" + token);
        SecretScan secrets = SecretScan.of(zendesk.emulator());
        for (String page : List.of(html, csv, all.toString())) {
            secrets.assertNotIn("audit page", page);
        }
    }

    @Test
    void theManageJenkinsEntryLeadsToTheTrail(JenkinsRule j) throws Exception {
        twoJobs(j);
        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        assertThat(get(admin, "manage/")).contains("zendesk-tokens/audit");
        assertThat(get(admin, AUDIT)).contains("secret-job").contains("audit-csv");
    }
}
