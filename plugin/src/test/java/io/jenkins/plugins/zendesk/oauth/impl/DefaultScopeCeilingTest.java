package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 5: a credential without allowed scopes lets every job that can use it mint
 * {@code write} or {@code impersonate} tokens. The form starts new credentials with a read-only
 * ceiling, keeps what an existing credential has, and warns when the ceiling is empty.
 */
@WithJenkins
class DefaultScopeCeilingTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private static List<String> allowedScopesValues(HtmlPage page) {
        return page.getElementsByName("_.allowedScopes").stream().map(e -> ((DomElement) e).getAttribute("value")).toList();
    }

    @Test
    void aNewCredentialStartsWithAReadOnlyCeiling(JenkinsRule j) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("credentials/store/system/domain/_/newCredentials");
            // The page renders a kind's form when it is chosen.
            HtmlSelect kind = page.querySelector("select.dropdownList");
            kind.setSelectedAttribute(kind.getOptionByText(Messages.ZendeskAdminCredentialsImpl_displayName()), true);
            wc.waitForBackgroundJavaScript(10_000);
            assertThat(allowedScopesValues(page)).containsExactly("read");
        }
    }

    @Test
    void anExistingCredentialKeepsItsCeilingEvenWhenEmpty(JenkinsRule j) throws Exception {
        TokenStepFixture.addGlobal(TokenStepFixture.adminCredentials(zendesk.emulator(), TokenStepFixture.ADMIN_API_TOKEN, "", ""));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("credentials/store/system/domain/_/credential/" + TokenStepFixture.CREDENTIALS_ID + "/update");
            assertThat(allowedScopesValues(page)).containsExactly("");
        }
    }

    @Test
    void anEmptyCeilingIsAWarning(JenkinsRule j) {
        ZendeskAdminCredentialsImpl.DescriptorImpl d = Jenkins.get().getDescriptorByType(ZendeskAdminCredentialsImpl.DescriptorImpl.class);
        FormValidation empty = d.doCheckAllowedScopes(j.jenkins, "");
        assertThat(empty.kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(empty.getMessage()).contains("write and impersonate");
        assertThat(d.doCheckAllowedScopes(j.jenkins, "read").kind).isEqualTo(FormValidation.Kind.OK);
    }
}
