package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.util.Map;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 4: at the root, the credential form's endpoints accepted Overall/Manage, while
 * the global credentials store itself needs Overall/Administer. A manager gets 403 now, and Zendesk
 * hears nothing.
 */
@WithJenkins
class GlobalStorePermissionTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @Test
    void managersAreRefusedAtTheRootAndAdministratorsAreNot(JenkinsRule j) throws Exception {
        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Jenkins.MANAGE).everywhere().to("manager"));
        Map<String, String> connection = Map.of("site", zendesk.emulator().baseUrl(), "email", TokenStepFixture.EMAIL, "client", "50328",
                "apiToken", TokenStepFixture.ADMIN_API_TOKEN);
        for (String user : new String[] {"manager", "admin"}) {
            int expected = user.equals("admin") ? 200 : 403;
            assertThat(WebForms.post(j, user, ZendeskAdminCredentialsImpl.class, "checkSite", Map.of("value", "acme")).status())
                    .as(user + " checkSite").isEqualTo(expected);
            assertThat(WebForms.post(j, user, ClientCredentialsAuthentication.class, "checkControlTokenMinutes", Map.of("value", "15"))
                    .status()).as(user + " checkControlTokenMinutes").isEqualTo(expected);
            assertThat(WebForms.post(j, user, SecretTextApiTokenAuthentication.class, "fillCredentialsIdItems", Map.of("credentialsId", ""))
                    .status()).as(user + " fillCredentialsIdItems").isEqualTo(200); // a list: only the current value for the manager
            WebForms.Reply test = WebForms.post(j, user, ApiTokenAuthentication.class, "testConnection", connection);
            assertThat(test.status()).as(user + " testConnection").isEqualTo(expected);
            if (user.equals("manager")) {
                assertThat(zendesk.emulator().requestCount(null, "/")).as("requests caused by the manager").isZero();
            } else {
                assertThat(test.body()).contains("Connected as");
            }
        }
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
        assertThat(ZendeskBrokerService.get().ledgerEntries()).isEmpty();
    }
}
