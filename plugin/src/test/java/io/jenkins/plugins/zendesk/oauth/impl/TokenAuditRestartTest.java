package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.ZendeskAuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** The trail survives a restart, and a torn last line (a crash mid-write) costs that line only. */
class TokenAuditRestartTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @Test
    void recordsSurviveARestartAndATornLastLineIsSkipped() throws Throwable {
        long[] firstToken = new long[1];
        sessions.then(j -> {
            SweepFixture.addCredential(zendesk.emulator());
            WorkflowJob p = j.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: 'zendesk-admin', scopes: ['tickets:read']) { echo 'x' }", true));
            j.buildAndAssertSuccess(p);
            List<AuditRecord> records = AuditFixture.records();
            assertThat(records).hasSize(2);
            firstToken[0] = records.get(0).tokenId();
        });
        sessions.then(j -> {
            // What a crash mid-write leaves: half a record, no line break.
            Path today = ZendeskAuditTrail.get().log().fileOf(LocalDate.now(ZoneOffset.UTC));
            Files.writeString(today, "{\"v\":1,\"time\":\"2026-12-03T10:", StandardOpenOption.APPEND);
            assertThat(AuditFixture.records()).extracting(AuditRecord::tokenId).containsExactly(firstToken[0], firstToken[0]);

            j.buildAndAssertSuccess((WorkflowJob) j.jenkins.getItemByFullName("p"));

            List<AuditRecord> records = AuditFixture.records();
            assertThat(records).hasSize(4);
            assertThat(records).extracting(AuditRecord::build).containsExactly(1, 1, 2, 2);
            String page = j.createWebClient().goTo("manage/zendesk-tokens/audit/?job=p").getWebResponse().getContentAsString();
            assertThat(page).contains("p #1").contains("p #2");
            SecretScan.of(zendesk.emulator()).assertNotUnder(ZendeskAuditTrail.get().dir());
        });
    }
}
