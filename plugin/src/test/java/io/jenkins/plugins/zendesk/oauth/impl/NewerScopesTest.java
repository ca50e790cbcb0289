package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.ADMIN_API_TOKEN;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.CREDENTIALS_ID;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.addGlobal;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.adminCredentials;
import static io.jenkins.plugins.zendesk.oauth.impl.TokenStepFixture.ledger;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.ExtensionList;
import hudson.model.Result;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Scopes of 2026 and scopes Zendesk adds later: the catalogue, and an admin vouching in the allowed scopes (issue 17). */
@WithJenkins
class NewerScopesTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private WorkflowRun build(JenkinsRule r, String allowed, String scopes, Result expected) throws Exception {
        TokenStepFixture.shortRetries();
        addGlobal(adminCredentials(zendesk.emulator(), ADMIN_API_TOKEN, allowed, ""));
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: [" + scopes + "]) {"
                + " echo 'inside the block' }", true));
        return r.buildAndAssertStatus(expected, p);
    }

    @Test
    void theScopesOf2026NeedNoVouching(JenkinsRule r) throws Exception {
        build(r, "", "'ticket_attachments:read', 'ticket_views:read', 'security:read', 'unrestricted:read'", Result.SUCCESS);

        assertThat(zendesk.emulator().issuedTokens()).singleElement().satisfies(t -> {
            assertThat(t.scopes()).containsExactlyInAnyOrder("ticket_attachments:read", "ticket_views:read", "security:read",
                    "unrestricted:read");
            assertThat(t.revoked()).isTrue();
        });
    }

    @Test
    void aScopeNewerThanThePluginIsMintedWhenTheAllowedScopesNameIt(JenkinsRule r) throws Exception {
        WorkflowRun b = build(r, "tickets:read ticket_forms:read", "'ticket_forms:read'", Result.SUCCESS);

        r.assertLogContains("inside the block", b);
        assertThat(zendesk.emulator().issuedTokens()).singleElement().satisfies(t -> {
            assertThat(t.scopes()).containsExactly("ticket_forms:read");
            assertThat(t.revoked()).isTrue();
        });
        assertThat(ledger()).isEmpty();
    }

    @Test
    void aScopeNewerThanThePluginIsRefusedWithTheWayToAllowIt(JenkinsRule r) throws Exception {
        WorkflowRun b = build(r, "read", "'ticket_form:read'", Result.FAILURE);

        r.assertLogContains("scopes: unknown scope 'ticket_form:read'", b);
        r.assertLogContains("naming it explicitly in the credential's allowed scopes", b);
        r.assertLogNotContains("inside the block", b);
        assertThat(zendesk.emulator().issuedTokens()).isEmpty();
        assertThat(zendesk.emulator().requestCount(null, "/")).isZero();
    }

    @Test
    void theFormWarnsAboutAllowedScopesOutsideTheCatalogue(JenkinsRule j) {
        ZendeskAdminCredentialsImpl.DescriptorImpl descriptor = ExtensionList.lookupSingleton(ZendeskAdminCredentialsImpl.DescriptorImpl.class);

        assertThat(descriptor.doCheckAllowedScopes(j.jenkins, "security:read ticket_views:write").kind).isEqualTo(FormValidation.Kind.OK);
        FormValidation typo = descriptor.doCheckAllowedScopes(j.jenkins, "tickets:read ticket_view:read");
        assertThat(typo.kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(typo.getMessage()).contains("ticket_view:read", "did you mean ticket_views:read?", "403");
        FormValidation newer = descriptor.doCheckAllowedScopes(j.jenkins, "ticket_forms:read");
        assertThat(newer.kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(newer.getMessage()).contains("ticket_forms:read").doesNotContain("did you mean");
        assertThat(descriptor.doCheckAllowedScopes(j.jenkins, "auditlogs:write").kind).isEqualTo(FormValidation.Kind.ERROR);

        assertThat(descriptor.doCheckDefaultScopes(j.jenkins, "ticket_forms:read", "ticket_forms:read tickets:read").kind)
                .isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor.doCheckDefaultScopes(j.jenkins, "ticket_forms:read", "read").kind).isEqualTo(FormValidation.Kind.ERROR);
    }
}
