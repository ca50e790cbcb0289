package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Item;
import hudson.model.ModelObject;
import hudson.util.Secret;
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
 * Issue 14, finding 3: Test connection decrypted any {@code {AQAAAB...}} ciphertext it was sent and
 * authenticated with the plaintext at the site in the request. A user with only Overall/Read, in
 * their own user context (where every user holds every permission), got "Connected as ...". Now a
 * ciphertext is accepted only for a secret stored in a credential of the context's own stores, and a
 * site outside {@code *.zendesk.com} needs Overall/Administer.
 */
@WithJenkins
class TestConnectionCiphertextTest {
    private static final String BEARER = "b3a7e1c0b3a7e1c0b3a7e1c0b3a7e1c0b3a7e1c0b3a7e1c0b3a7e1c0b3a7e1c0";
    private static final String OTHER = "0c1e7a3b0c1e7a3b0c1e7a3b0c1e7a3b0c1e7a3b0c1e7a3b0c1e7a3b0c1e7a3b";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator(() -> ZendeskEmulator.start().adminBearer(7, "robot@example.com", BEARER).client(50328, "jenkins_ci"));

    /** BEARER and OTHER as the controller encrypts them, made before security is on (see {@link #ciphertext}). */
    private String bearerCiphertext;
    private String otherCiphertext;

    private Folder secure(JenkinsRule j) throws Exception {
        bearerCiphertext = ciphertext(j, BEARER);
        otherCiphertext = ciphertext(j, OTHER);
        Folder folder = j.createProject(Folder.class, "f");
        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader", "folderAdmin")
                .grant(Item.READ, CredentialsProvider.CREATE, CredentialsProvider.UPDATE).onFolders(folder).to("folderAdmin"));
        // The secret an attacker wants used: a global admin credential, whose ciphertext shows in its own form.
        store(j.jenkins).addCredentials(Domain.global(), credential("global-admin", zendesk.emulator().baseUrl(), BEARER));
        return folder;
    }

    private static CredentialsStore store(ModelObject context) {
        for (CredentialsStore s : CredentialsProvider.lookupStores(context)) {
            if (s.getContext() == context) {
                return s;
            }
        }
        throw new AssertionError("no store of " + context);
    }

    private static ZendeskAdminCredentialsImpl credential(String id, String site, String token) {
        return new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, id, null, site, null,
                new BearerTokenAuthentication(Secret.fromString(token)), "50328");
    }

    /**
     * A secret encrypted by the controller: as its forms show it. (The test thread has a key of its
     * own, JenkinsRule's ConfidentialStore, so it encrypts on a request thread, which needs an open controller.)
     */
    private static String ciphertext(JenkinsRule j, String secret) throws Exception {
        return j.executeOnServer(() -> Secret.fromString(secret).getEncryptedValue());
    }

    private Map<String, String> form(String site, String accessToken) {
        return Map.of("site", site, "client", "50328", "accessToken", accessToken);
    }

    @Test
    void aReadOnlyUserInTheirOwnContextCannotHaveAStoredCiphertextUsed(JenkinsRule j) throws Exception {
        secure(j);
        // Every user holds every permission on their own /user/<id>/ page: the form check passes there.
        WebForms.Reply atEmulator = WebForms.call(j, HttpMethod.POST, "reader", "user/reader/", BearerTokenAuthentication.class,
                "testConnection", form(zendesk.emulator().baseUrl(), bearerCiphertext));
        assertThat(atEmulator.status()).isEqualTo(200);
        assertThat(atEmulator.body()).doesNotContain("Connected as").contains("Only a Jenkins administrator may test a site outside");

        // At a Zendesk host the ciphertext is refused before anything is sent.
        WebForms.Reply atZendesk = WebForms.call(j, HttpMethod.POST, "reader", "user/reader/", BearerTokenAuthentication.class,
                "testConnection", form("acme", bearerCiphertext));
        assertThat(atZendesk.body()).doesNotContain("Connected as").contains("encrypted secret that no Zendesk credential");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void anAdministratorEditingAStoredCredentialMayTestItsCiphertext(JenkinsRule j) throws Exception {
        secure(j);
        WebForms.Reply stored = WebForms.post(j, "admin", BearerTokenAuthentication.class, "testConnection",
                form(zendesk.emulator().baseUrl(), bearerCiphertext));
        assertThat(stored.body()).contains("Connected as");

        // A ciphertext that no credential of the root store holds is refused, even for an administrator.
        zendesk.emulator().resetCounters();
        WebForms.Reply foreign = WebForms.post(j, "admin", BearerTokenAuthentication.class, "testConnection",
                form(zendesk.emulator().baseUrl(), otherCiphertext));
        assertThat(foreign.body()).doesNotContain("Connected as").contains("encrypted secret that no Zendesk credential");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();

        // Typed in plain text, any secret may be tested.
        WebForms.Reply typed = WebForms.post(j, "admin", BearerTokenAuthentication.class, "testConnection", form(zendesk.emulator().baseUrl(), BEARER));
        assertThat(typed.body()).contains("Connected as");
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    @Test
    void aFolderCredentialsAdminCannotUseTheCiphertextOfAParentsCredential(JenkinsRule j) throws Exception {
        Folder folder = secure(j);
        WebForms.Reply parent = WebForms.call(j, HttpMethod.POST, "folderAdmin", "job/f/", BearerTokenAuthentication.class,
                "testConnection", form("acme", bearerCiphertext));
        assertThat(parent.status()).isEqualTo(200);
        assertThat(parent.body()).contains("encrypted secret that no Zendesk credential");

        // Stored in the folder itself, the same secret's ciphertext passes this check (and the request would go to acme.zendesk.com,
        // which this test does not reach: the host check below is what keeps it from the emulator).
        store(folder).addCredentials(Domain.global(), credential("folder-admin", zendesk.emulator().baseUrl(), BEARER));
        WebForms.Reply own = WebForms.call(j, HttpMethod.POST, "folderAdmin", "job/f/", BearerTokenAuthentication.class,
                "testConnection", form(zendesk.emulator().baseUrl(), bearerCiphertext));
        assertThat(own.body()).doesNotContain("Connected as").contains("Only a Jenkins administrator may test a site outside");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void everyKindRefusesAForeignCiphertext(JenkinsRule j) throws Exception {
        secure(j);
        String foreign = otherCiphertext;
        Map<Class<?>, Map<String, String>> kinds = Map.of(
                ApiTokenAuthentication.class, Map.of("site", "acme", "email", "robot@example.com", "client", "50328", "apiToken", foreign),
                ClientCredentialsAuthentication.class, Map.of("site", "acme", "clientId", "jenkins_ci", "clientSecret", foreign));
        for (Map.Entry<Class<?>, Map<String, String>> kind : kinds.entrySet()) {
            WebForms.Reply reply = WebForms.post(j, "admin", kind.getKey(), "testConnection", kind.getValue());
            assertThat(reply.body()).as(kind.getKey().getSimpleName()).contains("encrypted secret that no Zendesk credential");
        }
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void aNonZendeskHostNeedsAdminister(JenkinsRule j) throws Exception {
        secure(j);
        // A folder credentials admin may test in the folder, but not send a secret to a host that anyone could run.
        WebForms.Reply folderAdmin = WebForms.call(j, HttpMethod.POST, "folderAdmin", "job/f/", BearerTokenAuthentication.class,
                "testConnection", form(zendesk.emulator().baseUrl(), BEARER));
        assertThat(folderAdmin.status()).isEqualTo(200);
        assertThat(folderAdmin.body()).contains("Only a Jenkins administrator may test a site outside");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();

        WebForms.Reply admin = WebForms.call(j, HttpMethod.POST, "admin", "job/f/", BearerTokenAuthentication.class,
                "testConnection", form(zendesk.emulator().baseUrl(), BEARER));
        assertThat(admin.body()).contains("Connected as");
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }

    @Test
    void noFieldCheckEchoesADecryptedCiphertext(JenkinsRule j) throws Exception {
        // Jenkins decrypts a ciphertext given to any String parameter: a check that echoed its input would show the secret.
        String passphrase = "correct horse battery staple";
        String encrypted = ciphertext(j, passphrase);
        secure(j);
        for (String check : new String[] {"checkSite", "checkEmail", "checkClient", "checkAllowedScopes"}) {
            WebForms.Reply reply = WebForms.call(j, HttpMethod.POST, "reader", "user/reader/", ZendeskAdminCredentialsImpl.class, check,
                    Map.of("value", encrypted));
            assertThat(reply.body()).as(check).doesNotContain("horse").contains("encrypted value");
        }
        WebForms.Reply test = WebForms.call(j, HttpMethod.POST, "reader", "user/reader/", ApiTokenAuthentication.class, "testConnection",
                Map.of("site", encrypted, "email", "robot@example.com", "client", "50328", "apiToken", "t0ken"));
        assertThat(test.body()).doesNotContain("horse").contains("encrypted value");
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }
}
