package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Each form check and Test connection, called as an administrator in the global store. */
@WithJenkins
class ZendeskAdminCredentialsFormValidationTest {
    private static final String EMAIL = "robot@example.com";
    private static final String API_TOKEN = "admin-api-token-6f1e";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> ZendeskEmulator.start()
                .admin(7, EMAIL, API_TOKEN)
                .adminWithPassword(7, EMAIL, "admin-password-81c2")
                .adminBearer(7, EMAIL, "admin-bearer-0d3a")
                .agent(8, "agent@example.com", "agent-api-token")
                .client(50328, "jenkins_ci"));

    private static ZendeskAdminCredentialsImpl.DescriptorImpl descriptor() {
        return ExtensionList.lookupSingleton(ZendeskAdminCredentialsImpl.DescriptorImpl.class);
    }

    @Test
    void site(JenkinsRule j) {
        assertThat(descriptor().doCheckSite(j.jenkins, "acme").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor().doCheckSite(j.jenkins, "https://acme.zendesk.com").getMessage()).contains("https://acme.zendesk.com");
        // Nothing typed yet: no error (issue 15); every use names the field if it stays empty.
        assertThat(descriptor().doCheckSite(j.jenkins, "").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor().doCheckSite(j.jenkins, "acme_corp!").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor().doCheckSite(j.jenkins, "https://acme.zendesk.com/api/v2").kind).isEqualTo(FormValidation.Kind.ERROR);
        // The emulator's plain-http host is accepted only while the opt-in property is set.
        assertThat(descriptor().doCheckSite(j.jenkins, zendesk.emulator().baseUrl()).kind).isEqualTo(FormValidation.Kind.OK);
        System.clearProperty(ZendeskBrokerService.ALLOW_ANY_HOST_PROPERTY);
        assertThat(descriptor().doCheckSite(j.jenkins, zendesk.emulator().baseUrl()).kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor().doCheckSite(j.jenkins, "https://zendesk.example.com").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void email(JenkinsRule j) {
        assertThat(descriptor().doCheckEmail(j.jenkins, EMAIL).kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor().doCheckEmail(j.jenkins, "robot").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor().doCheckEmail(j.jenkins, "robot@example.com:x").kind).isEqualTo(FormValidation.Kind.ERROR);
        // Not needed by OAuth client credentials, the default kind: a note, not a warning.
        FormValidation empty = descriptor().doCheckEmail(j.jenkins, " ");
        assertThat(empty.kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(empty.getMessage()).contains("API token");
    }

    @Test
    void client(JenkinsRule j) {
        assertThat(descriptor().doCheckClient(j.jenkins, "50328").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor().doCheckClient(j.jenkins, "jenkins_ci").kind).isEqualTo(FormValidation.Kind.OK);
        // Optional with OAuth client credentials: their own client mints.
        FormValidation empty = descriptor().doCheckClient(j.jenkins, "");
        assertThat(empty.kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(empty.getMessage()).contains("client credentials");
        assertThat(descriptor().doCheckClient(j.jenkins, "0").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor().doCheckClient(j.jenkins, "jenkins ci").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void allowedScopes(JenkinsRule j) {
        assertThat(descriptor().doCheckAllowedScopes(j.jenkins, "tickets:read users:read").kind).isEqualTo(FormValidation.Kind.OK);
        // No ceiling is allowed, with a warning (DefaultScopeCeilingTest).
        assertThat(descriptor().doCheckAllowedScopes(j.jenkins, "").kind).isEqualTo(FormValidation.Kind.WARNING);
        FormValidation chat = descriptor().doCheckAllowedScopes(j.jenkins, "tickets:read chat");
        assertThat(chat.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(chat.getMessage()).contains("chat");
        assertThat(descriptor().doCheckAllowedScopes(j.jenkins, "auditlogs:write").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void defaultScopesLieWithinAllowedScopes(JenkinsRule j) {
        assertThat(descriptor().doCheckDefaultScopes(j.jenkins, "tickets:read", "tickets:read users:read").kind).isEqualTo(FormValidation.Kind.OK);
        // A global read covers every resource's read.
        assertThat(descriptor().doCheckDefaultScopes(j.jenkins, "tickets:read", "read").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor().doCheckDefaultScopes(j.jenkins, "tickets:write", "").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor().doCheckDefaultScopes(j.jenkins, "", "read").kind).isEqualTo(FormValidation.Kind.OK);
        FormValidation above = descriptor().doCheckDefaultScopes(j.jenkins, "tickets:read tickets:write", "read");
        assertThat(above.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(above.getMessage()).contains("tickets:write");
        assertThat(descriptor().doCheckDefaultScopes(j.jenkins, "tickts:read", "").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void testConnectionWithApiTokenReportsTheAdminAndMintsNothing(JenkinsRule j) {
        FormValidation result = ExtensionList.lookupSingleton(ApiTokenAuthentication.DescriptorImpl.class)
                .testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "apiToken", API_TOKEN));
        // It works, and warns that Zendesk retires API tokens.
        assertThat(result.kind).as(result.getMessage()).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(result.getMessage()).contains("Connected as robot", EMAIL, "(admin)", "OAuth client id 50328", "2027-04-30",
                "OAuth client credentials", "plugin&#039;s admin guide");
        assertThat(zendesk.emulator().requestCount("GET", "/api/v2/users/me")).isEqualTo(1);
        assertNothingMinted();
    }

    @Test
    void testConnectionResolvesTheUniqueIdentifier(JenkinsRule j) {
        FormValidation result = ExtensionList.lookupSingleton(ApiTokenAuthentication.DescriptorImpl.class)
                .testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "jenkins_ci", "apiToken", API_TOKEN));
        assertThat(result.kind).as(result.getMessage()).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(result.getMessage()).contains("OAuth client id 50328");
        assertThat(zendesk.emulator().requestCount("GET", "/api/v2/oauth/clients")).isPositive();
        assertNothingMinted();
    }

    @Test
    void testConnectionWarnsAboutAnUnknownClientId(JenkinsRule j) {
        FormValidation result = ExtensionList.lookupSingleton(ApiTokenAuthentication.DescriptorImpl.class)
                .testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "777", "apiToken", API_TOKEN));
        assertThat(result.kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(result.getMessage()).contains("777");
        assertNothingMinted();
    }

    @Test
    void testConnectionWithPasswordAndBearer(JenkinsRule j) {
        // Zendesk switched password access off: the kind fails with the fix, before any request.
        FormValidation password = ExtensionList.lookupSingleton(PasswordAuthentication.DescriptorImpl.class)
                .testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "password", "admin-password-81c2"));
        assertThat(password.kind).as(password.getMessage()).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(password.getMessage()).contains("2026-01-12", "OAuth client credentials").doesNotContain("admin-password-81c2");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
        // The bearer kind ignores the email, even an empty one; it works, with a deprecation warning.
        FormValidation bearer = ExtensionList.lookupSingleton(BearerTokenAuthentication.DescriptorImpl.class)
                .testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", "", "client", "50328", "accessToken", "admin-bearer-0d3a"));
        assertThat(bearer.kind).as(bearer.getMessage()).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(bearer.getMessage()).contains(EMAIL, "OAuth client credentials");
        assertNothingMinted();
    }

    @Test
    void testConnectionWithSecretTextReference(JenkinsRule j) throws Exception {
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addCredentials(Domain.global(),
                new StringCredentialsImpl(CredentialsScope.GLOBAL, "zendesk-token-text", "robot token", Secret.fromString(API_TOKEN)));
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addCredentials(Domain.global(),
                new StringCredentialsImpl(CredentialsScope.SYSTEM, "system-only-text", "not for jobs", Secret.fromString(API_TOKEN)));
        SecretTextApiTokenAuthentication.DescriptorImpl d = ExtensionList.lookupSingleton(SecretTextApiTokenAuthentication.DescriptorImpl.class);

        FormValidation ok = d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "credentialsId", "zendesk-token-text"));
        assertThat(ok.kind).as(ok.getMessage()).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(ok.getMessage()).contains("Connected as robot", "2027-04-30");

        // Jobs cannot use a System-scoped credential, so neither does the form.
        FormValidation system = d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "credentialsId", "system-only-text"));
        assertThat(system.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(system.getMessage()).contains("Secret text credential: ", "system-only-text").doesNotContain("authentication.");
        FormValidation missing = d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "credentialsId", "no-such-id"));
        assertThat(missing.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(missing.getMessage()).contains("Secret text credential: ", "no-such-id").doesNotContain("authentication.");
        assertThat(d.doFillCredentialsIdItems(j.jenkins, "").stream().map(o -> o.value))
                .contains("zendesk-token-text")
                .doesNotContain("system-only-text");
        assertNothingMinted();
    }

    @Test
    void apiTokenAccessDisabledPointsToAdminCenter(JenkinsRule j) {
        // Zendesk treats the request as anonymous when API token access is off: users/me answers 200 with an
        // anonymous user, not 401 (support.zendesk.com, "Managing access to the Zendesk API").
        zendesk.emulator().apiTokenAccessEnabled(false);
        FormValidation result = ExtensionList.lookupSingleton(ApiTokenAuthentication.DescriptorImpl.class)
                .testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "apiToken", API_TOKEN));
        assertThat(result.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(result.getMessage()).contains("anonymous", "Admin Center").doesNotContain(API_TOKEN);
        assertNothingMinted();
    }

    @Test
    void agentIsRefused(JenkinsRule j) {
        FormValidation result = ExtensionList.lookupSingleton(ApiTokenAuthentication.DescriptorImpl.class)
                .testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", "agent@example.com", "client", "50328", "apiToken", "agent-api-token"));
        assertThat(result.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(result.getMessage()).contains("admin");
        assertNothingMinted();
    }

    @Test
    void badInputFailsBeforeAnyRequest(JenkinsRule j) {
        ApiTokenAuthentication.DescriptorImpl d = ExtensionList.lookupSingleton(ApiTokenAuthentication.DescriptorImpl.class);
        assertThat(d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "apiToken", "")).getMessage())
                .contains("API token: ").doesNotContain("authentication.");
        assertThat(d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", "robot", "client", "50328", "apiToken", API_TOKEN)).getMessage())
                .contains("email");
        assertThat(d.testConnection(j.jenkins, TestConnectionForm.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "", "apiToken", API_TOKEN)).getMessage())
                .contains("client");
        assertThat(d.testConnection(j.jenkins, TestConnectionForm.of("site", "", "email", EMAIL, "client", "50328", "apiToken", API_TOKEN)).getMessage())
                .contains("site");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    private void assertNothingMinted() {
        assertThat(zendesk.emulator().requestCount("POST", "/")).isZero();
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }
}
