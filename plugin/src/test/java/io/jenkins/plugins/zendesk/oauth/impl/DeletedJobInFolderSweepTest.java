package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.assertAllRevoked;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.await;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.awaitNoOtherSweep;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.ledger;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.oneAttemptPerCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 4: the sweeper looked a deleted job's credential up at the root only, so the
 * entries of a deleted job whose credential lived in a folder were never swept. It now looks in the
 * innermost folder on the job's path that still exists.
 */
@WithJenkins
class DeletedJobInFolderSweepTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    @Test
    void aDeletedJobsTokenIsRevokedWithItsFoldersCredential(JenkinsRule j) throws Exception {
        Folder outer = j.createProject(Folder.class, "outer");
        Folder inner = outer.createProject(Folder.class, "inner");
        CredentialsStore store = null;
        for (CredentialsStore s : CredentialsProvider.lookupStores(outer)) {
            if (s.getContext() == outer) {
                store = s;
            }
        }
        assertThat(store).isNotNull();
        store.addCredentials(Domain.global(), TokenStepFixture.adminCredentials(zendesk.emulator(), TokenStepFixture.ADMIN_API_TOKEN, "", ""));
        oneAttemptPerCall();
        WorkflowJob p = inner.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("withZendeskToken(credentialsId: '" + TokenStepFixture.CREDENTIALS_ID
                + "', scopes: ['tickets:read']) { echo 'inside' }", true));
        // The entry waits for the sweeper.
        SweepFixture.buildLeavingAPendingToken(j, zendesk.emulator(), p);
        awaitNoOtherSweep();
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);

        p.delete();
        // "Sweep now" until done: a sweep started by the deletion itself may hold the entry for a moment.
        await("a sweep revoked the deleted job's token", () -> {
            SweepReport report = ZendeskBrokerService.get().sweepNow();
            assertThat(report.errors()).as("sweep errors").isEmpty();
            return zendesk.emulator().liveTokenCount() == 0 && ledger().isEmpty();
        });
        assertAllRevoked(zendesk.emulator());
    }
}
