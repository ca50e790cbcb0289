package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The forms check what they can (issue 15): what cannot be saved is refused naming the field,
 * the client identifier is checked as you type, an empty site is no error before anything is typed,
 * the Snippet Generator checks scopes and the variable and emits nothing without a credential, and
 * the variable help lists every variable a block gets.
 */
@WithJenkins
class FormChecksTest {
    private static final String ID = "zendesk-form";
    private static final String SECRET = "form-test-secret-0a1b2c3d4e5f";

    private static ZendeskAdminCredentialsImpl credential(String allowed, String defaults) {
        ClientCredentialsAuthentication auth = new ClientCredentialsAuthentication("jenkins_ci");
        auth.setClientSecret(Secret.fromString(SECRET));
        ZendeskAdminCredentialsImpl c = new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, ID, "form test", "acme", "", auth, "");
        c.setAllowedScopes(allowed);
        c.setDefaultScopes(defaults);
        return c;
    }

    private static ZendeskAdminCredentialsImpl stored(JenkinsRule j) {
        return CredentialsProvider.lookupStores(j.jenkins).iterator().next().getCredentials(Domain.global()).stream()
                .filter(c -> c instanceof ZendeskAdminCredentialsImpl z && z.getId().equals(ID))
                .map(ZendeskAdminCredentialsImpl.class::cast).findFirst().orElseThrow();
    }

    /** Opens the credential's update form, sets one field, saves; returns the answer. */
    private static Page saveWith(JenkinsRule j, String field, String value) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/" + ID + "/update");
            HtmlForm form = page.getFormByName("update");
            HtmlInput input = form.getInputByName("_." + field);
            input.setValue(value);
            return j.submit(form);
        }
    }

    @Test
    void defaultScopesOutsideTheAllowedScopesCannotBeSaved(JenkinsRule j) throws Exception {
        TokenStepFixture.addGlobal(credential("tickets:read users:read", "tickets:read"));
        Page answer = saveWith(j, "defaultScopes", "tickets:read tickets:write");
        assertThat(answer.getWebResponse().getStatusCode()).isGreaterThanOrEqualTo(400);
        assertThat(answer.getWebResponse().getContentAsString()).contains("Default scopes: scopes tickets:write exceed")
                .doesNotContain("defaultScopes:").doesNotContain(SECRET);
        assertThat(stored(j).getDefaultScopes()).isEqualTo("tickets:read");

        // The form says so as you type.
        FormValidation check = ExtensionList.lookupSingleton(ZendeskAdminCredentialsImpl.DescriptorImpl.class)
                .doCheckDefaultScopes(j.jenkins, "tickets:write", "tickets:read");
        assertThat(check.kind).isEqualTo(FormValidation.Kind.ERROR);

        // The Java API and JCasC refuse them too, whichever setter runs last.
        ZendeskAdminCredentialsImpl c = credential("", "tickets:write");
        assertThatThrownBy(() -> c.setAllowedScopes("tickets:read")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Default scopes");
        // A valid save still works.
        assertThat(saveWith(j, "defaultScopes", "users:read").getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(stored(j).getDefaultScopes()).isEqualTo("users:read");
    }

    @Test
    void aControlTokenLifetimeThatIsNoWholeNumberIsRefused(JenkinsRule j) throws Exception {
        TokenStepFixture.addGlobal(credential("", ""));
        Page answer = saveWith(j, "controlTokenMinutes", "1.5");
        assertThat(answer.getWebResponse().getStatusCode()).isGreaterThanOrEqualTo(400);
        assertThat(answer.getWebResponse().getContentAsString()).contains("Control token lifetime in minutes: Enter a whole number");
        assertThat(((ClientCredentialsAuthentication) stored(j).getAuthentication()).getControlTokenMinutes()).isNull();

        for (String bad : List.of("abc", "15 minutes", "-3", "5", "2880", "9".repeat(40))) {
            assertThat(ClientCredentialsAuthentication.minutesProblem(bad)).as(bad).contains("whole number");
        }
        assertThat(ClientCredentialsAuthentication.minutesProblem("20")).isNull();
        ClientCredentialsAuthentication.DescriptorImpl d = ExtensionList.lookupSingleton(ClientCredentialsAuthentication.DescriptorImpl.class);
        assertThat(d.doCheckControlTokenMinutes(j.jenkins, "abc").kind).isEqualTo(FormValidation.Kind.ERROR);

        assertThat(saveWith(j, "controlTokenMinutes", "20").getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(((ClientCredentialsAuthentication) stored(j).getAuthentication()).getControlTokenMinutes()).isEqualTo(20);
    }

    @Test
    void theClientIdentifierIsCheckedAsYouType(JenkinsRule j) throws Exception {
        ClientCredentialsAuthentication.DescriptorImpl d = ExtensionList.lookupSingleton(ClientCredentialsAuthentication.DescriptorImpl.class);
        assertThat(d.doCheckClientId(j.jenkins, "jenkins_ci").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(d.doCheckClientId(j.jenkins, "").kind).isEqualTo(FormValidation.Kind.OK);
        FormValidation numeric = d.doCheckClientId(j.jenkins, "50328");
        assertThat(numeric.kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(numeric.getMessage()).contains("numeric id", "Unique identifier");
        FormValidation name = d.doCheckClientId(j.jenkins, "Jenkins CI");
        assertThat(name.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(name.getMessage()).contains("name; enter its unique identifier", "Unique identifier");
        // Reached from the form: the textbox has a check URL.
        TokenStepFixture.addGlobal(credential("", ""));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/" + ID + "/update");
            assertThat(page.getFormByName("update").getInputByName("_.clientId").getAttribute("checkUrl")).contains("checkClientId");
        }
    }

    @Test
    void anEmptySiteIsNoErrorBeforeAnythingIsTyped(JenkinsRule j) throws Exception {
        ZendeskAdminCredentialsImpl.DescriptorImpl d = ExtensionList.lookupSingleton(ZendeskAdminCredentialsImpl.DescriptorImpl.class);
        FormValidation empty = d.doCheckSite(j.jenkins, "");
        assertThat(empty.kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(empty.getMessage()).isNull();
        assertThat(d.doCheckSite(j.jenkins, "acme_corp!").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void aSuccessfulTestConnectionIsStyledAsSuccess() {
        FormValidation ok = TestConnection.success("Connected as <robot>");
        assertThat(ok.kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(ok.renderHtml()).contains("jenkins-!-success-color").contains("&lt;robot&gt;").doesNotContain("<robot>");
    }

    @Test
    void theSnippetGeneratorChecksItsFields(JenkinsRule j) throws Exception {
        j.jenkins.setCrumbIssuer(null);
        WebForms.Reply scopes = WebForms.call(j, HttpMethod.POST, null, "", WithZendeskTokenStep.class, "checkScopes",
                Map.of("value", "tickets:reed"));
        assertThat(scopes.status()).isEqualTo(200);
        assertThat(scopes.body()).contains("error").contains("tickets:reed");
        assertThat(WebForms.call(j, HttpMethod.POST, null, "", WithZendeskTokenStep.class, "checkScopes",
                Map.of("value", "tickets:read, users:read")).body()).doesNotContain("error");
        WebForms.Reply variable = WebForms.call(j, HttpMethod.POST, null, "", WithZendeskTokenStep.class, "checkVariable",
                Map.of("value", "1TOKEN"));
        assertThat(variable.body()).contains("error").contains("not a usable environment variable name");
        assertThat(WebForms.call(j, HttpMethod.POST, null, "", WithZendeskTokenStep.class, "checkVariable",
                Map.of("value", "ZD_TOKEN")).body()).doesNotContain("error");

        String withoutCredential = generateSnippet(j, "{\"stapler-class\":\"" + WithZendeskTokenStep.class.getName()
                + "\",\"credentialsId\":\"\",\"scopes\":\"tickets:read\"}");
        assertThat(withoutCredential).startsWith("Choose a Zendesk admin credential").doesNotContain("withZendeskToken(").doesNotContain("\tat ");
        String withCredential = generateSnippet(j, "{\"stapler-class\":\"" + WithZendeskTokenStep.class.getName()
                + "\",\"credentialsId\":\"zendesk-admin\",\"scopes\":\"tickets:read\"}");
        assertThat(withCredential).startsWith("withZendeskToken(credentialsId: 'zendesk-admin'").contains("tickets:read");
    }

    private static String generateSnippet(JenkinsRule j, String json) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            WebRequest request = new WebRequest(URI.create(j.getURL() + "pipeline-syntax/generateSnippet").toURL(), HttpMethod.POST);
            request.setRequestParameters(List.of(new NameValuePair("json", json)));
            return wc.getPage(request).getWebResponse().getContentAsString().trim();
        }
    }

    /**
     * The step and the binding take the same parameters and have one help page each: the step's form
     * (the Snippet Generator) links to the binding's pages ({@code addHelpFileRedirect}), and the step
     * has no copy of them (issue 14).
     */
    @Test
    void theStepsParameterHelpIsTheBindings(JenkinsRule j) throws Exception {
        WithZendeskTokenStep.DescriptorImpl step = j.jenkins.getDescriptorByType(WithZendeskTokenStep.DescriptorImpl.class);
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            for (String field : List.of("credentialsId", "scopes", "variable")) {
                String url = j.executeOnServer(() -> step.getHelpFile(field));
                assertThat(url).isEqualTo("/descriptor/" + ZendeskOAuthTokenBinding.class.getName() + "/help/" + field);
                String shown = wc.goTo(url.substring(1), null).getWebResponse().getContentAsString();
                try (var own = ZendeskOAuthTokenBinding.class.getResourceAsStream("ZendeskOAuthTokenBinding/help-" + field + ".html")) {
                    assertThat(shown).contains(new String(own.readAllBytes(), StandardCharsets.UTF_8).trim());
                }
                assertThat(WithZendeskTokenStep.class.getResource("WithZendeskTokenStep/help-" + field + ".html")).as(field).isNull();
            }
            String lifetime = j.executeOnServer(() -> step.getHelpFile("lifetimeMinutes"));
            assertThat(lifetime).isEqualTo("/descriptor/" + WithZendeskTokenStep.class.getName() + "/help/lifetimeMinutes");
            // The Steps Reference reads help files along each class's superclasses, not the redirect: there the
            // parameters' help is the binding's, under withCredentials, as the step's own help says.
            String reference = wc.goTo("pipeline-syntax/html").getWebResponse().getContentAsString();
            assertThat(reference).contains("withZendeskToken").contains("zendeskOAuthToken")
                    .contains("Name of the environment variable that holds the token inside the block")
                    .contains("in the Steps Reference: <code>zendeskOAuthToken</code> under <code>withCredentials</code>");
        }
    }

    @Test
    void theHelpListsEveryVariableAndWhereANodeIsNeeded(JenkinsRule j) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            // The step's parameter help is the binding's (addHelpFileRedirect): its form links to this page.
            String help = wc.goTo("descriptor/" + ZendeskOAuthTokenBinding.class.getName() + "/help/variable", null)
                    .getWebResponse().getContentAsString();
            assertThat(help).contains("ZENDESK_URL", "_ID", "_EXPIRES_AT", "_FILE");
            String step = wc.goTo("descriptor/" + WithZendeskTokenStep.class.getName() + "/help", null).getWebResponse().getContentAsString();
            assertThat(step).contains("The step itself needs no <code>node</code>").contains("<code>sh</code>");
        }
    }
}
