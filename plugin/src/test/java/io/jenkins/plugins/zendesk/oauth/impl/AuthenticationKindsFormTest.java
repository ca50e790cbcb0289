package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.util.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The credential form of every authentication kind, rendered from the descriptor base's shared
 * fragments: each kind's Test connection button sends the fields it always did, to its own
 * descriptor, and each retired kind shows its deprecation notice.
 */
@WithJenkins
class AuthenticationKindsFormTest {

    @Test
    void eachKindHasItsTestConnectionButtonAndItsNotice(JenkinsRule j) throws Exception {
        ClientCredentialsAuthentication clientCredentials = new ClientCredentialsAuthentication("jenkins_ci");
        clientCredentials.setClientSecret(Secret.fromString("client-secret-1234"));
        Map<ZendeskAuthentication, String> kinds = new LinkedHashMap<>();
        kinds.put(clientCredentials, "site,client,clientId,clientSecret,clientSecretCredentialsId,controlTokenMinutes");
        kinds.put(new ApiTokenAuthentication(Secret.fromString("api-token-1234")), "site,email,client,apiToken");
        kinds.put(new SecretTextApiTokenAuthentication("token-text"), "site,email,client,credentialsId");
        kinds.put(new PasswordAuthentication(Secret.fromString("old-password-1234")), "site,email,client,password");
        kinds.put(new BearerTokenAuthentication(Secret.fromString("bearer-1234")), "site,email,client,accessToken");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            for (Map.Entry<ZendeskAuthentication, String> kind : kinds.entrySet()) {
                String id = kind.getKey().getClass().getSimpleName();
                addGlobal(new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, id, null, "acme", "robot@example.com", kind.getKey(), "50328"));
                // The form renders the body of the selected kind only (the others are templates until chosen).
                HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/" + id + "/update");

                List<DomElement> buttons = new ArrayList<>();
                for (DomNode node : page.querySelectorAll("button.validate-button")) {
                    DomElement button = (DomElement) node;
                    if (button.getAttribute("data-validate-button-method").equals("testConnection")) {
                        buttons.add(button);
                    }
                }
                assertThat(buttons).as(id).hasSize(1);
                assertThat(buttons.get(0).getAttribute("data-validate-button-descriptor-url")).as(id)
                        .endsWith("/descriptorByName/" + kind.getKey().getClass().getName());
                assertThat(buttons.get(0).getAttribute("data-validate-button-with")).as(id).isEqualTo(kind.getValue());

                List<String> notices = page.querySelectorAll("div.alert-warning").stream().map(DomNode::getTextContent).map(String::trim).toList();
                String notice = kind.getKey().deprecationNotice();
                assertThat(notices).as(id).isEqualTo(notice == null ? List.of() : List.of(notice));
            }
        }
    }

    @Test
    void eachKindDeclaresItsNoticeOnceForTheFormTheBuildLogAndTheMonitor(JenkinsRule j) {
        assertThat(new ClientCredentialsAuthentication("jenkins_ci").deprecationNotice()).isNull();
        assertThat(new ApiTokenAuthentication(null).deprecationNotice()).isEqualTo(Messages.ApiTokenAuthentication_deprecated());
        assertThat(new SecretTextApiTokenAuthentication("text").deprecationNotice()).isEqualTo(Messages.ApiTokenAuthentication_deprecated());
        assertThat(new BearerTokenAuthentication(null).deprecationNotice()).isEqualTo(Messages.BearerTokenAuthentication_deprecated());
        assertThat(new PasswordAuthentication(null).deprecationNotice()).isEqualTo(Messages.PasswordAuthentication_switchedOff());
    }
}
