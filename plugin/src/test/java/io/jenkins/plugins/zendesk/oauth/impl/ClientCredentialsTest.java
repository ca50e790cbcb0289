package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.ExtensionList;
import hudson.model.Result;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The OAuth client credentials kind in a real Jenkins: a pipeline mints, uses and revokes with it;
 * Test connection reports the admin and the control token's lifetime and leaves nothing live; the
 * form round-trips it; the older kinds are flagged (form, build log once per build, administrative
 * monitor) and a password credential fails with the migration message. Every test ends with 0 live
 * tokens at Zendesk, control tokens included.
 */
@WithJenkins
class ClientCredentialsTest {
    private static final long ADMIN_ID = 7;
    private static final String EMAIL = "jenkins-robot@example.com";
    private static final String API_TOKEN = "legacy-api-token-9b8a7c6d5e";
    private static final String CLIENT = "jenkins_cc";
    private static final long CLIENT_ID = 50500;
    private static final String SECRET = "Cl1entS3cret-of-jenkins_cc-0123456789abcdef";
    private static final long BLOCKS_CLIENT_ID = 50501;
    private static final String ID = "zendesk-cc";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> ZendeskEmulator.start()
                .admin(ADMIN_ID, EMAIL, API_TOKEN)
                .confidentialClient(CLIENT_ID, CLIENT, SECRET, ADMIN_ID, null)
                .confidentialClient(BLOCKS_CLIENT_ID, "jenkins_blocks", "blocks-secret", ADMIN_ID, Duration.ofMinutes(30))
                .publicClient(50502, "browser_app", ADMIN_ID));

    private ZendeskAdminCredentialsImpl clientCredentials(String id, String client) {
        ClientCredentialsAuthentication auth = new ClientCredentialsAuthentication(CLIENT);
        auth.setClientSecret(Secret.fromString(SECRET));
        ZendeskAdminCredentialsImpl c = new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, id, "Zendesk via client credentials",
                zendesk.emulator().baseUrl(), "", auth, client);
        c.setAllowedScopes("tickets:read users:read");
        return c;
    }

    private ZendeskAdminCredentialsImpl apiToken(String id) {
        return new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, id, "Zendesk via API token", zendesk.emulator().baseUrl(), EMAIL,
                new ApiTokenAuthentication(Secret.fromString(API_TOKEN)), Long.toString(CLIENT_ID));
    }

    private static WorkflowRun build(JenkinsRule j, String script, Result expected) throws Exception {
        TokenStepFixture.shortRetries();
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return j.buildAndAssertStatus(expected, p);
    }

    private List<String> secrets() {
        List<String> all = new java.util.ArrayList<>(List.of(SECRET, API_TOKEN));
        zendesk.emulator().issuedTokens().forEach(t -> all.add(t.fullToken()));
        return all;
    }

    // ---------------------------------------------------------------- pipelines

    @Test
    void aPipelineMintsUsesAndRevokesWithClientCredentials(JenkinsRule j) throws Exception {
        addGlobal(clientCredentials(ID, ""));
        WorkflowRun b = build(j, "withZendeskToken(credentialsId: '" + ID + "', scopes: ['tickets:read']) {\n"
                + "  echo \"id=${env.ZENDESK_OAUTH_TOKEN_ID} length=${env.ZENDESK_OAUTH_TOKEN.length()} expires=${env.ZENDESK_OAUTH_TOKEN_EXPIRES_AT}\"\n"
                + "}", Result.SUCCESS);

        IssuedToken block = zendesk.emulator().issuedTokens().stream().filter(t -> t.scopes().equals(List.of("tickets:read"))).findFirst().orElseThrow();
        assertThat(block.clientId()).as("no client named: the credentials' own client mints").isEqualTo(CLIENT_ID);
        assertThat(block.revoked()).isTrue();
        // No lifetime of the client's own: Zendesk's default for clients (emulator: 30 minutes).
        assertThat(block.expiresAt()).isEqualTo(block.createdAt().plus(ZendeskEmulator.DEFAULT_TOKEN_LIFETIME));
        j.assertLogContains("id=" + block.id() + " length=64 expires=" + block.expiresAt(), b);
        j.assertLogContains("Revoked Zendesk token id " + block.id(), b);
        j.assertLogNotContains("switch this credential", b);
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        assertThat(zendesk.emulator().liveTokenCount()).as("only the cached control token").isEqualTo(1);
        assertThat(ZendeskBrokerService.get().ledgerEntries()).isEmpty();
        String log = JenkinsRule.getLog(b);
        secrets().forEach(secret -> assertThat(log).doesNotContain(secret));
        SecretScan.of(zendesk.emulator()).assertNotUnder(b.getRootDir());
        assertThat(SecretScan.of(SECRET).filesContaining(j.jenkins.getRootDir().toPath())).as("files with the plain client secret").isEmpty();
    }

    @Test
    void aSeparateMintingClientsExpiryIsLoggedAndExported(JenkinsRule j) throws Exception {
        addGlobal(clientCredentials(ID, Long.toString(BLOCKS_CLIENT_ID)));
        WorkflowRun b = build(j, "withZendeskToken(credentialsId: '" + ID + "', scopes: ['users:read']) {\n"
                + "  echo \"expires=${env.ZENDESK_OAUTH_TOKEN_EXPIRES_AT}\"\n"
                + "}", Result.SUCCESS);

        IssuedToken block = zendesk.emulator().issuedTokens().stream().filter(t -> t.clientId() == BLOCKS_CLIENT_ID).findFirst().orElseThrow();
        j.assertLogContains("Zendesk expires it at " + block.expiresAt(), b);
        j.assertLogContains("expires=" + block.expiresAt(), b);
        assertThat(block.revoked()).isTrue();
    }

    @Test
    void aWrongClientSecretFailsTheBuildNamingTheClientAndMintsNothing(JenkinsRule j) throws Exception {
        ZendeskAdminCredentialsImpl c = clientCredentials(ID, "");
        ((ClientCredentialsAuthentication) c.getAuthentication()).setClientSecret(Secret.fromString("not-the-secret"));
        addGlobal(c);
        WorkflowRun b = build(j, "withZendeskToken(credentialsId: '" + ID + "', scopes: ['tickets:read']) { echo 'inside the block' }",
                Result.FAILURE);
        j.assertLogContains("identifier or secret of client 'jenkins_cc'", b);
        j.assertLogNotContains("inside the block", b);
        j.assertLogNotContains("not-the-secret", b);
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
    }

    @Test
    void theApiTokenDeprecationIsLoggedOncePerBuild(JenkinsRule j) throws Exception {
        addGlobal(apiToken("legacy"));
        WorkflowRun b = build(j, "withZendeskToken(credentialsId: 'legacy', scopes: ['tickets:read']) { echo 'first' }\n"
                + "withZendeskToken(credentialsId: 'legacy', scopes: ['tickets:read']) { echo 'second' }", Result.SUCCESS);
        String log = JenkinsRule.getLog(b);
        String notice = "Zendesk admin credential 'legacy': Zendesk deactivates all API tokens on 2027-04-30";
        assertThat(log.indexOf(notice)).as("printed").isNotNegative();
        assertThat(log.indexOf(notice)).as("printed once").isEqualTo(log.lastIndexOf(notice));
        assertThat(zendesk.emulator().issuedTokens()).hasSize(2).allMatch(IssuedToken::revoked);
    }

    @Test
    void aSavedPasswordCredentialLoadsAndFailsItsBuildWithTheMigrationMessage(JenkinsRule j) throws Exception {
        addGlobal(new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, "pw", "old", zendesk.emulator().baseUrl(), EMAIL,
                new PasswordAuthentication(Secret.fromString("old-password-1234")), Long.toString(CLIENT_ID)));
        WorkflowRun b = build(j, "withZendeskToken(credentialsId: 'pw', scopes: ['tickets:read']) { echo 'inside the block' }",
                Result.FAILURE);
        j.assertLogContains("Zendesk switched off password access to its API on 2026-01-12", b);
        j.assertLogContains("OAuth client credentials", b);
        j.assertLogNotContains("inside the block", b);
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();

        // The form still shows the kind of a credential that has it, and offers it to no new credential.
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            assertThat(wc.goTo("manage/credentials/store/system/domain/_/credential/pw/update").asXml())
                    .contains("Password (switched off by Zendesk)");
            HtmlPage created = wc.goTo("manage/credentials/store/system/domain/_/newCredentials");
            assertThat(created.asXml()).doesNotContain("Password (switched off by Zendesk)");
        }
    }

    // ---------------------------------------------------------------- form

    @Test
    void testConnectionReportsTheAdminAndTheGrantedLifetimeAndLeavesNothingLive(JenkinsRule j) {
        ClientCredentialsAuthentication.DescriptorImpl d = ExtensionList.lookupSingleton(ClientCredentialsAuthentication.DescriptorImpl.class);

        FormValidation ok = d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "client", "", "clientId", CLIENT, "clientSecret", SECRET, "clientSecretCredentialsId", "", "controlTokenMinutes", "20"));
        assertThat(ok.kind).as(ok.getMessage()).isEqualTo(FormValidation.Kind.OK);
        assertThat(ok.getMessage()).contains(EMAIL, "admin", "jenkins_cc", "20 minutes", "OAuth client id " + CLIENT_ID);
        assertThat(zendesk.emulator().clientCredentialsGrants()).isEqualTo(1);
        assertThat(zendesk.emulator().liveTokenCount()).as("the control token it made is revoked").isZero();
        assertThat(zendesk.emulator().requestCount("POST", "/api/v2/oauth/tokens")).as("no block token").isZero();

        FormValidation wrong = d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "client", "", "clientId", CLIENT, "clientSecret", "wrong-secret", "clientSecretCredentialsId", "", "controlTokenMinutes", ""));
        assertThat(wrong.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(wrong.getMessage()).contains("identifier or secret").doesNotContain("wrong-secret");

        FormValidation publicClient = d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "client", "", "clientId", "browser_app", "clientSecret", SECRET, "clientSecretCredentialsId", "", "controlTokenMinutes", ""));
        assertThat(publicClient.getMessage()).contains("Only confidential clients");

        FormValidation tooShort = d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "client", "", "clientId", CLIENT, "clientSecret", SECRET, "clientSecretCredentialsId", "", "controlTokenMinutes", "5"));
        assertThat(tooShort.getMessage()).contains("Control token lifetime in minutes", "more than 5").doesNotContain("authentication.");
        assertThat(d.doCheckControlTokenMinutes(j.jenkins, "2880").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(d.doCheckControlTokenMinutes(j.jenkins, "15").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    @Test
    void testConnectionIsForCredentialAdminsOnly(JenkinsRule j) throws Exception {
        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, CredentialsProvider.VIEW).everywhere().to("reader"));
        Map<String, String> form = Map.of("site", zendesk.emulator().baseUrl(), "clientId", CLIENT, "clientSecret", SECRET);
        for (String user : new String[] {null, "reader"}) {
            assertThat(WebForms.post(j, user, ClientCredentialsAuthentication.class, "testConnection", form).status())
                    .as(String.valueOf(user)).isEqualTo(403);
        }
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
        WebForms.Reply admin = WebForms.post(j, "admin", ClientCredentialsAuthentication.class, "testConnection", form);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body()).contains("Connected as").doesNotContain(SECRET);
    }

    @Test
    void theCredentialRoundTripsThroughTheForm(JenkinsRule j) throws Exception {
        ZendeskAdminCredentialsImpl original = clientCredentials(ID, "jenkins_blocks");
        ((ClientCredentialsAuthentication) original.getAuthentication()).setControlTokenMinutes(30);
        addGlobal(original);
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/" + ID + "/update");
            assertThat(page.asXml()).doesNotContain(SECRET);
            HtmlForm update = page.getFormByName("update");
            j.submit(update);
        }
        ZendeskAdminCredentialsImpl saved = (ZendeskAdminCredentialsImpl) CredentialsProvider.lookupStores(j.jenkins).iterator().next()
                .getCredentials(com.cloudbees.plugins.credentials.domains.Domain.global()).stream()
                .filter(c -> c instanceof ZendeskAdminCredentialsImpl z && z.getId().equals(ID)).findFirst().orElseThrow();
        j.assertEqualDataBoundBeans(original, saved);
        ClientCredentialsAuthentication auth = (ClientCredentialsAuthentication) saved.getAuthentication();
        assertThat(auth.getClientSecret().getPlainText()).isEqualTo(SECRET);
        assertThat(auth.getControlTokenMinutes()).isEqualTo(30);
        assertThat(SecretScan.of(SECRET).filesContaining(j.jenkins.getRootDir().toPath())).as("credentials.xml keeps it encrypted").isEmpty();
    }

    @Test
    void theNewKindIsTheFormsDefault(JenkinsRule j) throws Exception {
        List<?> kinds = ExtensionList.lookupSingleton(ZendeskAdminCredentialsImpl.DescriptorImpl.class).getAuthenticationDescriptors(null);
        assertThat(kinds.get(0)).isInstanceOf(ClientCredentialsAuthentication.DescriptorImpl.class);
        assertThat(kinds).noneMatch(k -> k instanceof PasswordAuthentication.DescriptorImpl);
    }

    // ---------------------------------------------------------------- administrative monitor

    @Test
    void theMonitorListsApiTokenCredentialsAndNotClientCredentials(JenkinsRule j) throws Exception {
        addGlobal(clientCredentials(ID, ""));
        addGlobal(apiToken("legacy"));
        DeprecatedAuthenticationMonitor monitor = ExtensionList.lookupSingleton(DeprecatedAuthenticationMonitor.class);
        monitor.refresh();
        assertThat(monitor.isActivated()).isTrue();
        assertThat(monitor.getFindings()).extracting(DeprecatedAuthenticationMonitor.Finding::id).containsExactly("legacy");
        assertThat(monitor.getFindings().get(0).notice()).contains("2027-04-30");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage manage = wc.goTo("manage/");
            assertThat(manage.asXml()).contains("legacy", "Migrating from API tokens", DeprecatedAuthenticationMonitor.MIGRATION_URL);
            // The credential id links to the credential's page.
            HtmlAnchor link = manage.getFirstByXPath("//a[@class='zendesk-migration-credential']");
            assertThat(link.getHrefAttribute()).endsWith("/manage/credentials/store/system/domain/_/credential/legacy/");
            HtmlPage credential = link.click();
            assertThat(credential.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(credential.asNormalizedText()).contains("Zendesk via API token");
            // An administrator may dismiss it, with a button laid out as the core monitors' (the form first, a primary button).
            HtmlForm dismiss = manage.getFormByName(monitor.id);
            assertThat(dismiss.getAttribute("style")).isEmpty();
            assertThat(dismiss.getOneHtmlElementByAttribute("button", "name", "no").getAttribute("class")).contains("jenkins-button--primary");
            j.submit(dismiss);
        }
        assertThat(monitor.isEnabled()).isFalse();
    }

    @Test
    void theMonitorIsQuietWithoutOldKinds(JenkinsRule j) throws Exception {
        addGlobal(clientCredentials(ID, ""));
        DeprecatedAuthenticationMonitor monitor = ExtensionList.lookupSingleton(DeprecatedAuthenticationMonitor.class);
        monitor.refresh();
        assertThat(monitor.isActivated()).isFalse();
    }
}
