package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.addCredential;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.assertAllRevoked;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.oneAttemptPerCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Fingerprint;
import io.jenkins.plugins.zendesk.oauth.ZendeskAuditTrail;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.LedgerAuthority;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Each source of token events, end to end in Jenkins: the record names the build that held the
 * token (job, number, URL, causes, node) and the credential, and no file or page holds a secret.
 */
@WithJenkins
class TokenAuditTrailTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @AfterEach
    void noSecretOnDisk() {
        SecretScan.of(zendesk.emulator()).assertNotUnder(ZendeskAuditTrail.get().dir());
    }

    private WorkflowJob pipeline(JenkinsRule j, String name, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void aPipelineBlockRecordsItsBuildCausesNodeAndCredential(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        WorkflowJob p = pipeline(j, "deploy", "node { withZendeskToken(credentialsId: 'zendesk-admin', scopes: ['tickets:read']) {"
                + " echo 'inside' } }");
        WorkflowRun run = j.assertBuildStatusSuccess(p.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("alice"))));

        List<AuditRecord> records = AuditFixture.records();
        assertThat(records).extracting(r -> r.event() + "/" + r.endedBy()).containsExactly("minted/", "revoked/block_end");
        for (AuditRecord r : records) {
            assertThat(r.job()).isEqualTo("deploy");
            assertThat(r.build()).isEqualTo(1);
            assertThat(r.buildUrl()).endsWith("job/deploy/1/");
            assertThat(r.causes()).contains("user:alice");
            assertThat(r.credentialId()).isEqualTo("zendesk-admin");
            assertThat(r.scopes()).containsExactly("tickets:read");
            assertThat(r.site()).isEqualTo(zendesk.emulator().baseUrl());
            assertThat(r.tokenId()).isEqualTo(records.get(0).tokenId()).isPositive();
        }
        assertThat(records.get(0).node()).as("the node block's node").isEqualTo("built-in");
        assertThat(records.get(0).entryId()).isNotEmpty();
        assertThat(records.get(1).heldMs()).isPresent();

        // The build's own page lists its token and lifecycle; the credential's usage lists the build.
        assertThat(run.getAction(BuildTokensAction.class)).isNotNull();
        String page = j.createWebClient().getPage(run, "zendesk-tokens/").getWebResponse().getContentAsString();
        assertThat(page).contains("Token " + records.get(0).tokenId()).contains("minted").contains("block_end");
        StandardCredentials credential = CredentialsProvider.findCredentialById("zendesk-admin", StandardCredentials.class, run);
        Fingerprint usage = CredentialsProvider.getFingerprintOf(credential);
        assertThat(usage).isNotNull();
        assertThat(usage.getJobs()).contains("deploy");
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void aFreestyleBuildStartedUpstreamRecordsTheUpstreamAndTheExecutorsNode(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        FreeStyleProject upstream = j.createFreeStyleProject("nightly");
        FreeStyleBuild nightly = j.buildAndAssertSuccess(upstream);
        FreeStyleProject p = j.createFreeStyleProject("freestyle");
        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding("zendesk-admin");
        binding.setScopes(List.of("tickets:read"));
        p.getBuildWrappersList().add(new SecretBuildWrapper(List.of(binding)));
        j.assertBuildStatusSuccess(p.scheduleBuild2(0, new Cause.UpstreamCause(nightly)));

        AuditRecord minted = AuditFixture.records(r -> r.event().equals("minted")).get(0);
        assertThat(minted.job()).isEqualTo("freestyle");
        assertThat(minted.causes()).containsExactly("upstream:nightly#1");
        assertThat(minted.node()).isEqualTo("built-in");
        assertThat(AuditFixture.lifecycle()).containsExactly("minted//ok", "revoked/block_end/ok");
    }

    @Test
    void aRevocationThatFailsIsRecordedAndTheSweeperFinishesIt(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        oneAttemptPerCall();
        zendesk.emulator().failNext("DELETE", SweepFixture.TOKENS_PATH, 1, Fault.status(503));
        j.buildAndAssertSuccess(pipeline(j, "p", "withZendeskToken(credentialsId: 'zendesk-admin', scopes: ['tickets:read']) { echo 'x' }"));

        AuditFixture.await("revoked by the sweeper", r -> r.event().equals("revoked") && r.endedBy().equals("sweeper"));
        AuditRecord failed = AuditFixture.records(r -> r.event().equals("revoke_failed")).get(0);
        assertThat(failed.error()).contains("503");
        assertThat(failed.endedBy()).isEqualTo("block_end");
        assertThat(failed.job()).isEqualTo("p");
        SweepFixture.await("the ledger is empty", () -> SweepFixture.ledger().isEmpty());
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void anAdministratorsRevokeNowIsRecordedWithTheAdministrator(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        WorkflowJob p = pipeline(j, "p", "withZendeskToken(credentialsId: 'zendesk-admin', scopes: ['tickets:read']) { semaphore 'hold' }");
        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("hold/1", run);
        LedgerEntry entry = SweepFixture.onlyEntry();

        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        admin.getPage(admin.addCrumb(new org.htmlunit.WebRequest(
                new java.net.URL(j.getURL(), "manage/zendesk-tokens/revoke?entryId=" + entry.id()), org.htmlunit.HttpMethod.POST)));
        SemaphoreStep.success("hold/1", null);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));

        AuditRecord byAdmin = AuditFixture.await("revoked by an admin", r -> r.endedBy().equals("admin"));
        assertThat(byAdmin.actor()).isEqualTo("admin");
        assertThat(byAdmin.job()).isEqualTo("p");
        assertThat(AuditFixture.lifecycle()).containsExactly("minted//ok", "revoked/admin/ok", "revoked/block_end/already_gone");
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void anExpiredEntryAndAnOrphanFoundByReconciliationAreRecorded(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        String authority = new LedgerAuthority("zendesk-admin", "gone-job").format();
        var ledger = ZendeskBrokerService.get().broker().ledger();
        ScopeSet scopes = ScopeSet.parse("tickets:read", "scopes");
        LedgerEntry old = ledger.recordIntent(zendesk.emulator().baseUrl(), TokenStepFixture.CLIENT_ID, "gone-job#3", authority, scopes);
        ledger.recordMinted(old.id(), 424_242, Instant.now().minus(Duration.ofHours(2)), Optional.of(Instant.now().minus(Duration.ofHours(1))));
        LedgerEntry uncertain = ledger.recordIntent(zendesk.emulator().baseUrl(), TokenStepFixture.CLIENT_ID, "gone-job#4", authority, scopes);
        IssuedToken orphan = zendesk.emulator().mintExternally(TokenStepFixture.CLIENT_ID, TokenStepFixture.ADMIN_USER_ID, List.of("tickets:read"),
                Instant.now());
        ledger.recordFailure(uncertain.id(), LedgerEntry.State.UNCERTAIN, "timeout", Instant.now());

        ZendeskBrokerService.get().sweepNow();

        AuditRecord expired = AuditFixture.await("expired", r -> r.event().equals("expired"));
        assertThat(expired.tokenId()).isEqualTo(424_242);
        assertThat(expired.job()).isEqualTo("gone-job");
        assertThat(expired.build()).isEqualTo(3);
        AuditRecord found = AuditFixture.await("orphan revoked", r -> r.event().equals("orphan_revoked"));
        assertThat(found.tokenId()).isEqualTo(orphan.id());
        assertThat(found.build()).isEqualTo(4);
        assertThat(found.endedBy()).isEqualTo("reconciler");
        assertThat(found.credentialId()).isEqualTo("zendesk-admin");
        assertAllRevoked(zendesk.emulator());
    }
}
