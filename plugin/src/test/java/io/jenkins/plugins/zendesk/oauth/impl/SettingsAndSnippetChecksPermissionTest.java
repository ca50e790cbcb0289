package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import io.jenkins.plugins.zendesk.oauth.ZendeskTokenGlobalConfiguration;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The form checks of the plugin's settings (Manage Jenkins › System) answer only POST and only
 * those who may save that page (Overall/Administer); the Snippet Generator's checks of
 * {@code withZendeskToken} answer only POST and only readers (issue 14: every web method checks permission and is {@code @POST}).
 */
@WithJenkins
class SettingsAndSnippetChecksPermissionTest {

    private static final Map<String, Map<String, String>> SETTINGS_CHECKS = Map.of(
            "checkRateLimitWaitMinutes", Map.of("value", "5"),
            "checkAuditRetentionDays", Map.of("value", "90"));
    private static final Map<String, Map<String, String>> SNIPPET_CHECKS = Map.of(
            "checkScopes", Map.of("value", "tickets:read"),
            "checkVariable", Map.of("value", "ZD_TOKEN"));

    private static void secure(JenkinsRule j) {
        j.jenkins.setCrumbIssuer(null); // so that a 403 can only come from the permission check
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Jenkins.MANAGE).everywhere().to("manager")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
    }

    @Test
    void settingsChecksNeedAdministerAndPost(JenkinsRule j) throws Exception {
        secure(j);
        for (Map.Entry<String, Map<String, String>> check : SETTINGS_CHECKS.entrySet()) {
            String name = check.getKey();
            for (String user : new String[] {null, "reader", "manager"}) {
                assertThat(WebForms.post(j, user, ZendeskTokenGlobalConfiguration.class, name, check.getValue()).status())
                        .as(user + " " + name).isEqualTo(403);
            }
            WebForms.Reply admin = WebForms.post(j, "admin", ZendeskTokenGlobalConfiguration.class, name, check.getValue());
            assertThat(admin.status()).as("admin " + name).isEqualTo(200);
            assertThat(admin.body()).as("admin " + name).doesNotContain("error");
            assertThat(WebForms.call(j, HttpMethod.GET, "admin", "", ZendeskTokenGlobalConfiguration.class, name, check.getValue())
                    .status()).as("GET " + name).isBetween(400, 499);
        }
        assertThat(WebForms.post(j, "admin", ZendeskTokenGlobalConfiguration.class, "checkAuditRetentionDays",
                Map.of("value", "0")).body()).contains("auditRetentionDays: ").contains("is not a number of days from 1 to 3650");
    }

    @Test
    void snippetChecksNeedReadAndPost(JenkinsRule j) throws Exception {
        secure(j);
        for (Map.Entry<String, Map<String, String>> check : SNIPPET_CHECKS.entrySet()) {
            String name = check.getKey();
            assertThat(WebForms.post(j, null, WithZendeskTokenStep.class, name, check.getValue()).status())
                    .as("anonymous " + name).isEqualTo(403);
            WebForms.Reply reader = WebForms.post(j, "reader", WithZendeskTokenStep.class, name, check.getValue());
            assertThat(reader.status()).as("reader " + name).isEqualTo(200);
            assertThat(reader.body()).as("reader " + name).doesNotContain("error");
            assertThat(WebForms.call(j, HttpMethod.GET, "reader", "", WithZendeskTokenStep.class, name, check.getValue())
                    .status()).as("GET " + name).isBetween(400, 499);
        }
    }
}
