package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Item;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Test connection sends the admin secret to Zendesk: only users who may configure credentials
 * in the store's context may press it. Everyone else gets 403 and Zendesk hears nothing.
 */
@WithJenkins
class TestConnectionPermissionTest {
    private static final String EMAIL = "robot@example.com";
    private static final String API_TOKEN = "admin-api-token-6f1e";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> ZendeskEmulator.start().admin(7, EMAIL, API_TOKEN).client(50328, "jenkins_ci"));

    private Folder secure(JenkinsRule j) throws Exception {
        Folder folder = j.createProject(Folder.class, "f");
        j.jenkins.setCrumbIssuer(null); // so that a 403 can only come from the permission check
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ, CredentialsProvider.VIEW).everywhere().to("reader")
                .grant(Jenkins.READ).everywhere().to("folderAdmin")
                .grant(Item.READ, CredentialsProvider.CREATE, CredentialsProvider.UPDATE).onFolders(folder).to("folderAdmin"));
        return folder;
    }

    private Map<String, String> form() {
        return Map.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "apiToken", API_TOKEN);
    }

    @Test
    void anonymousAndReadOnlyUsersGet403AndZendeskHearsNothing(JenkinsRule j) throws Exception {
        secure(j);
        for (String user : new String[] {null, "reader", "folderAdmin"}) {
            assertThat(WebForms.post(j, user, ApiTokenAuthentication.class, "testConnection", form()).status()).as(String.valueOf(user)).isEqualTo(403);
            assertThat(WebForms.post(j, user, PasswordAuthentication.class, "testConnection",
                    Map.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "password", "x")).status()).as(String.valueOf(user)).isEqualTo(403);
            assertThat(WebForms.post(j, user, BearerTokenAuthentication.class, "testConnection",
                    Map.of("site", zendesk.emulator().baseUrl(), "client", "50328", "accessToken", "x")).status()).as(String.valueOf(user)).isEqualTo(403);
            assertThat(WebForms.post(j, user, SecretTextApiTokenAuthentication.class, "testConnection",
                    Map.of("site", zendesk.emulator().baseUrl(), "email", EMAIL, "client", "50328", "credentialsId", "any")).status()).as(String.valueOf(user)).isEqualTo(403);
        }
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();

        // Positive control: the same request from an administrator does reach Zendesk.
        WebForms.Reply admin = WebForms.post(j, "admin", ApiTokenAuthentication.class, "testConnection", form());
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body()).contains("Connected as", "OAuth client id 50328");
        assertThat(zendesk.emulator().requestCount("POST", "/")).isZero();
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    @Test
    void getIsRefused(JenkinsRule j) throws Exception {
        secure(j);
        WebForms.Reply get = WebForms.call(j, HttpMethod.GET, "admin", "", ApiTokenAuthentication.class, "testConnection", form());
        assertThat(get.status()).isBetween(400, 499);
        assertThat(get.body()).doesNotContain("Connected as");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void folderCredentialsAdminMayTestInTheFolderOnly(JenkinsRule j) throws Exception {
        secure(j);
        // Where the folder's credential form posts: the folder's own descriptorByName (see WebForms.call). The emulator is
        // not a *.zendesk.com host, which only administrators may test (TestConnectionCiphertextTest): the check passed.
        WebForms.Reply inFolder = WebForms.call(j, HttpMethod.POST, "folderAdmin", "job/f/", ApiTokenAuthentication.class, "testConnection",
                form());
        assertThat(inFolder.status()).isEqualTo(200);
        assertThat(inFolder.body()).contains("Only a Jenkins administrator may test a site outside");

        zendesk.emulator().resetCounters();
        // The global store's form posts to the root.
        assertThat(WebForms.call(j, HttpMethod.POST, "folderAdmin", "", ApiTokenAuthentication.class, "testConnection", form())
                .status()).isEqualTo(403);
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }
}
