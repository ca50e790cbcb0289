package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.util.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.htmlunit.html.DomElement;
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
        // A password credential: the one form that offers all five kinds.
        addGlobal(new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, "pw", "old", "acme", "robot@example.com",
                new PasswordAuthentication(Secret.fromString("old-password-1234")), "50328"));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/pw/update");

            Map<String, String> buttons = new HashMap<>();
            for (DomElement button : page.querySelectorAll("button.validate-button")) {
                if (button.getAttribute("data-validate-button-method").equals("testConnection")) {
                    String url = button.getAttribute("data-validate-button-descriptor-url");
                    buttons.put(url.substring(url.lastIndexOf('/') + 1), button.getAttribute("data-validate-button-with"));
                }
            }
            assertThat(buttons).isEqualTo(Map.of(
                    ClientCredentialsAuthentication.class.getName(), "site,client,clientId,clientSecret,clientSecretCredentialsId,controlTokenMinutes",
                    ApiTokenAuthentication.class.getName(), "site,email,client,apiToken",
                    SecretTextApiTokenAuthentication.class.getName(), "site,email,client,credentialsId",
                    PasswordAuthentication.class.getName(), "site,email,client,password",
                    BearerTokenAuthentication.class.getName(), "site,email,client,accessToken"));

            List<String> notices = page.querySelectorAll("div.alert-warning").stream().map(DomElement::getTextContent).map(String::trim).toList();
            assertThat(notices).containsExactlyInAnyOrder(
                    Messages.ApiTokenAuthentication_deprecated(),
                    Messages.ApiTokenAuthentication_deprecated(),
                    Messages.PasswordAuthentication_switchedOff(),
                    Messages.BearerTokenAuthentication_deprecated());
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
