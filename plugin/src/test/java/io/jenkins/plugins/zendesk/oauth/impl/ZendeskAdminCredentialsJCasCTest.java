package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.casc.misc.Util.toStringFromYamlFile;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.casc.CredentialsRootConfigurator;
import hudson.ExtensionList;
import hudson.util.Secret;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Configuration as Code: import of each authentication kind, and an export that round-trips with encrypted secrets. */
@WithJenkinsConfiguredWithCode
class ZendeskAdminCredentialsJCasCTest {
    private static final Set<String> SECRET_KEYS = Set.of("secret", "apiToken", "password", "accessToken", "clientSecret");
    private static final Map<String, String> PLAIN_SECRETS = Map.of(
            "text-api-token-4d1c", "string",
            "plain-api-token-1a2b", "apiToken",
            "plain-password-2c3d", "password",
            "plain-access-token-3e4f", "oauthToken",
            "plain-client-secret-5a6b", "clientCredentials",
            "text-client-secret-7c8d", "string");

    @Test
    @ConfiguredWithCode("zendesk-admin-jcasc.yml")
    void importsEachAuthenticationKind(JenkinsConfiguredWithCodeRule j) {
        ZendeskAdminCredentialsImpl apiToken = credential("zendesk-admin");
        assertThat(apiToken.getScope()).isEqualTo(CredentialsScope.GLOBAL);
        assertThat(apiToken.getDescription()).isEqualTo("Zendesk robot admin (API token)");
        assertThat(apiToken.getSite()).isEqualTo("acme");
        assertThat(apiToken.getEmail()).isEqualTo("jenkins-robot@example.com");
        assertThat(apiToken.getClient()).isEqualTo("50328");
        assertThat(apiToken.getAllowedScopes()).isEqualTo("tickets:read tickets:write users:read");
        assertThat(apiToken.getDefaultScopes()).isEqualTo("tickets:read");
        assertThat(apiToken.getAuthentication()).isInstanceOf(ApiTokenAuthentication.class);
        assertThat(((ApiTokenAuthentication) apiToken.getAuthentication()).getApiToken().getPlainText()).isEqualTo("plain-api-token-1a2b");
        SecretTextResolver none = id -> null;
        assertThat(apiToken.adminAuth(none)).isInstanceOf(AdminAuth.ApiToken.class);
        assertThat(apiToken.adminAuth(none).secret().reveal()).isEqualTo("plain-api-token-1a2b");

        ZendeskAdminCredentialsImpl secretText = credential("zendesk-admin-secret-text");
        assertThat(secretText.getSite()).isEqualTo("https://acme.zendesk.com");
        assertThat(secretText.getClient()).isEqualTo("jenkins_ci");
        assertThat(secretText.getAllowedScopes()).isEqualTo("read");
        assertThat(secretText.getDefaultScopes()).isEqualTo("tickets:read users:read");
        assertThat(((SecretTextApiTokenAuthentication) secretText.getAuthentication()).getCredentialsId()).isEqualTo("zendesk-robot-api-token");
        // The reference resolves, as the sweeper resolves it, to the Secret text credential's value.
        AdminAuth resolved = secretText.adminAuth(SecretTextResolver.forItemAsSystem(null));
        assertThat(resolved).isInstanceOfSatisfying(AdminAuth.ApiToken.class,
                kind -> assertThat(kind.email()).isEqualTo("jenkins-robot@example.com"));
        assertThat(resolved.secret().reveal()).isEqualTo("text-api-token-4d1c");

        ZendeskAdminCredentialsImpl password = credential("zendesk-admin-password");
        assertThat(((PasswordAuthentication) password.getAuthentication()).getPassword().getPlainText()).isEqualTo("plain-password-2c3d");
        // Still loads, so that it can be edited; every use names the fix.
        assertThatThrownBy(() -> password.adminAuth(none)).isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("2026-01-12").hasMessageContaining("OAuth client credentials");

        ZendeskAdminCredentialsImpl clientCredentials = credential("zendesk-admin-client-credentials");
        assertThat(clientCredentials.getClient()).isEmpty();
        assertThat(clientCredentials.getEmail()).isEmpty();
        ClientCredentialsAuthentication kind = (ClientCredentialsAuthentication) clientCredentials.getAuthentication();
        assertThat(kind.getClientId()).isEqualTo("jenkins_ci");
        assertThat(kind.getClientSecret().getPlainText()).isEqualTo("plain-client-secret-5a6b");
        assertThat(kind.getControlTokenMinutes()).isEqualTo(20);
        AdminAuth.ClientCredentials grant = (AdminAuth.ClientCredentials) clientCredentials.adminAuth(none);
        assertThat(grant.identifier()).isEqualTo("jenkins_ci");
        assertThat(grant.secret().reveal()).isEqualTo("plain-client-secret-5a6b");
        assertThat(grant.controlLifetime()).isEqualTo(java.time.Duration.ofMinutes(20));
        // No client named: block tokens are minted with the client of the credentials.
        assertThat(clientCredentials.mintingClient()).isEqualTo(new OAuthClientRef.ByIdentifier("jenkins_ci"));

        ZendeskAdminCredentialsImpl clientSecretText = credential("zendesk-admin-client-secret-text");
        assertThat(((ClientCredentialsAuthentication) clientSecretText.getAuthentication()).getClientSecretCredentialsId())
                .isEqualTo("zendesk-client-secret");
        assertThat(clientSecretText.adminAuth(SecretTextResolver.forItemAsSystem(null)).secret().reveal()).isEqualTo("text-client-secret-7c8d");
        assertThat(clientSecretText.mintingClient()).isEqualTo(new OAuthClientRef.ById(50329));

        ZendeskAdminCredentialsImpl oauth = credential("zendesk-admin-oauth");
        assertThat(((BearerTokenAuthentication) oauth.getAuthentication()).getAccessToken().getPlainText()).isEqualTo("plain-access-token-3e4f");
        assertThat(oauth.getAllowedScopes()).isEqualTo("read write");
        AdminAuth bearer = oauth.adminAuth(none);
        assertThat(bearer).isInstanceOf(AdminAuth.Bearer.class);
    }

    @Test
    @ConfiguredWithCode("zendesk-admin-jcasc.yml")
    void exportRoundTripsWithEncryptedSecrets(JenkinsConfiguredWithCodeRule j) throws Exception {
        CNode credentials = credentialsNode();
        String exported = toYamlString(credentials);
        for (String plain : PLAIN_SECRETS.keySet()) {
            assertThat(exported).as("exported YAML must not contain a plain secret").doesNotContain(plain);
        }

        List<String> encrypted = new ArrayList<>();
        Object actual = maskSecrets(new Yaml().load(exported), encrypted);
        Object expected = maskSecrets(new Yaml().load(toStringFromYamlFile(this, "zendesk-admin-jcasc-expected-export.yml")), new ArrayList<>());
        assertThat(actual).isEqualTo(expected);

        // Each exported secret is the encrypted form of an imported one, and can be imported again.
        assertThat(encrypted).hasSize(PLAIN_SECRETS.size());
        List<String> decrypted = new ArrayList<>();
        for (String value : encrypted) {
            assertThat(value).startsWith("{").endsWith("}");
            decrypted.add(Objects.requireNonNull(Secret.decrypt(value), value).getPlainText());
        }
        assertThat(decrypted).containsExactlyInAnyOrderElementsOf(PLAIN_SECRETS.keySet());
    }

    private static ZendeskAdminCredentialsImpl credential(String id) {
        for (Credentials c : SystemCredentialsProvider.getInstance().getCredentials()) {
            if (c instanceof ZendeskAdminCredentialsImpl z && z.getId().equals(id)) {
                return z;
            }
        }
        throw new AssertionError("no Zendesk admin credential " + id);
    }

    /** The {@code credentials:} list of the system store's only domain, as JCasC exports it. */
    private static CNode credentialsNode() throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CredentialsRootConfigurator root = ExtensionList.lookupSingleton(CredentialsRootConfigurator.class);
        CNode node = Objects.requireNonNull(root.describe(root.getTargetComponent(context), context));
        return node.asMapping().get("system").asMapping()
                .get("domainCredentials").asSequence().get(0).asMapping()
                .get("credentials");
    }

    /**
     * Replaces the value of every secret key by {@code <encrypted>}, collecting the originals,
     * and turns every other scalar into its string form so that YAML quoting does not matter.
     */
    private static Object maskSecrets(Object node, List<String> secrets) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (SECRET_KEYS.contains(key) && !(e.getValue() instanceof Map)) {
                    secrets.add(String.valueOf(e.getValue()));
                    out.put(key, "<encrypted>");
                } else {
                    out.put(key, maskSecrets(e.getValue(), secrets));
                }
            }
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(maskSecrets(item, secrets));
            }
            return out;
        }
        return node == null ? null : String.valueOf(node);
    }
}
