package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.Secret;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * {@code credentials.xml} holds every admin secret encrypted, never in plain text, and the
 * credentials load back after a restart (class filter, readResolve).
 */
class ZendeskAdminCredentialsStorageTest {
    private static final String API_TOKEN = "plain-api-token-5a6b";
    private static final String PASSWORD = "plain-password-6b7c";
    private static final String ACCESS_TOKEN = "plain-access-token-7c8d";

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void secretsAreEncryptedOnDiskAndSurviveARestart() throws Throwable {
        sessions.then(j -> {
            CredentialsStore store = CredentialsProvider.lookupStores(j.jenkins).iterator().next();
            store.addCredentials(Domain.global(), credential("api", new ApiTokenAuthentication(Secret.fromString(API_TOKEN))));
            store.addCredentials(Domain.global(), credential("password", new PasswordAuthentication(Secret.fromString(PASSWORD))));
            store.addCredentials(Domain.global(), credential("oauth", new BearerTokenAuthentication(Secret.fromString(ACCESS_TOKEN))));
            store.addCredentials(Domain.global(), credential("text", new SecretTextApiTokenAuthentication("zendesk-robot-api-token")));

            String xml = Files.readString(new File(j.jenkins.getRootDir(), "credentials.xml").toPath(), StandardCharsets.UTF_8);
            assertThat(xml).contains(ZendeskAdminCredentialsImpl.class.getName(), "zendesk-robot-api-token", "acme", "50328")
                    .doesNotContain(API_TOKEN, PASSWORD, ACCESS_TOKEN);
            assertThat(decryptedElements(xml, "apiToken")).containsExactly(API_TOKEN);
            assertThat(decryptedElements(xml, "password")).containsExactly(PASSWORD);
            assertThat(decryptedElements(xml, "accessToken")).containsExactly(ACCESS_TOKEN);
        });
        sessions.then(j -> {
            assertThat(((ApiTokenAuthentication) find("api").getAuthentication()).getApiToken().getPlainText()).isEqualTo(API_TOKEN);
            assertThat(((PasswordAuthentication) find("password").getAuthentication()).getPassword().getPlainText()).isEqualTo(PASSWORD);
            assertThat(((BearerTokenAuthentication) find("oauth").getAuthentication()).getAccessToken().getPlainText()).isEqualTo(ACCESS_TOKEN);
            ZendeskAdminCredentialsImpl text = find("text");
            assertThat(((SecretTextApiTokenAuthentication) text.getAuthentication()).getCredentialsId()).isEqualTo("zendesk-robot-api-token");
            assertThat(text.getAllowedScopes()).isEqualTo("tickets:read users:read");
            assertThat(text.getDefaultScopes()).isEqualTo("tickets:read");
        });
    }

    private static ZendeskAdminCredentialsImpl credential(String id, ZendeskAuthentication authentication) {
        ZendeskAdminCredentialsImpl c = new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, id, "robot admin", "acme",
                "jenkins-robot@example.com", authentication, "50328");
        c.setAllowedScopes("users:read tickets:read");
        c.setDefaultScopes("tickets:read");
        return c;
    }

    private static ZendeskAdminCredentialsImpl find(String id) {
        for (Credentials c : SystemCredentialsProvider.getInstance().getCredentials()) {
            if (c instanceof ZendeskAdminCredentialsImpl z && z.getId().equals(id)) {
                return z;
            }
        }
        throw new AssertionError("no Zendesk admin credential " + id);
    }

    /** The plain values of {@code <element>{...}</element>}; fails if one is not Jenkins cipher text. */
    private static List<String> decryptedElements(String xml, String element) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
        while (m.find()) {
            Secret secret = Secret.decrypt(m.group(1));
            assertThat(secret).as("<%s> must hold an encrypted value", element).isNotNull();
            values.add(secret.getPlainText());
        }
        return values;
    }
}
