package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Item;
import hudson.util.Secret;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The credential form's check and fill endpoints refuse anonymous and read-only users, and GET. */
@WithJenkins
class FormValidationPermissionTest {

    private static final Map<String, Map<String, String>> CHECKS = Map.of(
            "checkSite", Map.of("value", "acme"),
            "checkEmail", Map.of("value", "robot@example.com"),
            "checkClient", Map.of("value", "50328"),
            "checkAllowedScopes", Map.of("value", "read"),
            "checkDefaultScopes", Map.of("value", "tickets:read", "allowedScopes", "read"));

    private static void secure(JenkinsRule j) throws Exception {
        j.jenkins.setCrumbIssuer(null); // so that a 403 can only come from the permission check
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ, CredentialsProvider.VIEW).everywhere().to("reader"));
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addCredentials(Domain.global(),
                new StringCredentialsImpl(CredentialsScope.GLOBAL, "zendesk-token-text", "robot token", Secret.fromString("t0ken")));
    }

    @Test
    void checksRefuseAnonymousAndReadOnlyUsers(JenkinsRule j) throws Exception {
        secure(j);
        for (Map.Entry<String, Map<String, String>> check : CHECKS.entrySet()) {
            assertThat(WebForms.post(j, null, ZendeskAdminCredentialsImpl.class, check.getKey(), check.getValue()).status())
                    .as("anonymous " + check.getKey()).isEqualTo(403);
            assertThat(WebForms.post(j, "reader", ZendeskAdminCredentialsImpl.class, check.getKey(), check.getValue()).status())
                    .as("reader " + check.getKey()).isEqualTo(403);
            assertThat(WebForms.post(j, "admin", ZendeskAdminCredentialsImpl.class, check.getKey(), check.getValue()).status())
                    .as("admin " + check.getKey()).isEqualTo(200);
        }
    }

    @Test
    void checksRefuseGet(JenkinsRule j) throws Exception {
        secure(j);
        for (Map.Entry<String, Map<String, String>> check : CHECKS.entrySet()) {
            assertThat(WebForms.call(j, HttpMethod.GET, "admin", "", ZendeskAdminCredentialsImpl.class, check.getKey(), check.getValue())
                    .status()).as("GET " + check.getKey()).isBetween(400, 499);
        }
    }

    @Test
    void secretTextListIsOnlyShownToCredentialAdmins(JenkinsRule j) throws Exception {
        secure(j);
        Map<String, String> params = Map.of("credentialsId", "");
        assertThat(WebForms.post(j, null, SecretTextApiTokenAuthentication.class, "fillCredentialsIdItems", params).status()).isEqualTo(403);
        WebForms.Reply reader = WebForms.post(j, "reader", SecretTextApiTokenAuthentication.class, "fillCredentialsIdItems", params);
        assertThat(reader.body()).doesNotContain("zendesk-token-text");
        WebForms.Reply admin = WebForms.post(j, "admin", SecretTextApiTokenAuthentication.class, "fillCredentialsIdItems", params);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body()).contains("zendesk-token-text");
        assertThat(WebForms.call(j, HttpMethod.GET, "admin", "", SecretTextApiTokenAuthentication.class, "fillCredentialsIdItems", params)
                .status()).isBetween(400, 499);
    }
}
