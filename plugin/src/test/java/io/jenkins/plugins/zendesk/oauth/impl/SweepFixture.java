package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Descriptor;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.Await;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What the sweep and page tests add to {@link TokenStepFixture} (same emulator, credential and host
 * policy): one attempt per call, a pipeline around a block, polling.
 */
final class SweepFixture {
    static final String CREDENTIALS_ID = TokenStepFixture.CREDENTIALS_ID;
    static final String TOKENS_PATH = TokenStepFixture.MINT_PATH;

    private SweepFixture() {
    }

    /** The standard admin credential for the emulator, global, without ceiling or default scopes. */
    static void addCredential(ZendeskEmulator zendesk) throws IOException {
        TokenStepFixture.addGlobal(TokenStepFixture.adminCredentials(zendesk, TokenStepFixture.ADMIN_API_TOKEN, "", ""));
    }

    /** One attempt per call (so each armed fault fails exactly one revocation) and short timeouts. */
    static void oneAttemptPerCall() {
        ZendeskBrokerService.get().setRetryPolicy(RetryPolicy.defaults().withMaxAttempts(1)
                .withRequestTimeout(Duration.ofSeconds(10)).withDeadline(Duration.ofSeconds(20)));
    }

    static WorkflowJob pipeline(JenkinsRule j, String name, String body) throws IOException, Descriptor.FormException {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(
                "withZendeskToken(credentialsId: '" + CREDENTIALS_ID + "', scopes: ['tickets:read']) {\n" + body + "\n}", true));
        return p;
    }

    /**
     * Builds {@code job} with the block's revocation and the sweep when the run finishes both failing (503),
     * and waits until that sweep has recorded its failure: one more REVOKE_PENDING entry, its token live.
     */
    static WorkflowRun buildLeavingAPendingToken(JenkinsRule j, ZendeskEmulator zendesk, WorkflowJob job) throws Exception {
        int before = ledger().size();
        zendesk.failNext("DELETE", TOKENS_PATH, 2, Fault.status(503));
        WorkflowRun b = j.buildAndAssertSuccess(job);
        await("the run-end sweep tried too", () -> ledger().size() == before + 1 && ledger().stream().allMatch(e -> e.failures() == 2));
        return b;
    }

    static List<LedgerEntry> ledger() {
        return TokenStepFixture.ledger();
    }

    static LedgerEntry onlyEntry() {
        List<LedgerEntry> entries = ledger();
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    /** Waits for {@code condition}; a failure shows the ledger. */
    static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition, () -> "; ledger: " + ledger());
    }

    /**
     * Waits until no other sweep (e.g. the one the plugin starts on a timer thread when a run ends)
     * is still working on an entry: until then, "Sweep now" or a deletion sweep would skip that
     * entry as in use. A periodic sweep tells, and has no effect on what these callers leave in
     * the ledger: REVOKE_PENDING entries whose retry is not due yet, and no running build.
     */
    static void awaitNoOtherSweep() {
        await("no other sweep is working on the ledger", () -> ZendeskBrokerService.get().sweeper().sweep().inUse() == 0);
    }

    /** Waits until {@code what} has left nothing live at Zendesk and nothing in the ledger (sweeps run on their own threads). */
    static void awaitAllRevoked(String what, ZendeskEmulator zendesk) {
        await(what, () -> zendesk.liveTokenCount() == 0 && ledger().isEmpty());
        assertAllRevoked(zendesk);
    }

    /** Nothing live at Zendesk and nothing left in the ledger. */
    static void assertAllRevoked(ZendeskEmulator zendesk) {
        assertThat(zendesk.liveTokenCount()).as("live Zendesk tokens").isZero();
        assertThat(ledger()).as("ledger entries").isEmpty();
    }
}
