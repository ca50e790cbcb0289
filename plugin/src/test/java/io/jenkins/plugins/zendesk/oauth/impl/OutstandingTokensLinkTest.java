package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.TOKENS_PATH;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.addCredential;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.assertAllRevoked;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.awaitNoOtherSweep;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.buildLeavingAPendingToken;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.ledger;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.oneAttemptPerCall;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The outstanding tokens page: who may see it, who may act, and that its actions really revoke.
 */
@WithJenkins
class OutstandingTokensLinkTest {
    private static final String PAGE = "zendesk-tokens/";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private static void secure(JenkinsRule j) {
        // Without crumbs, a refused POST can only be refused for lack of permission.
        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                // Item/Read too: the page shows job names only to those who may read the job (OutstandingTokensVisibilityTest).
                .grant(Jenkins.READ, Jenkins.MANAGE, Item.READ).everywhere().to("manager")
                .grant(Jenkins.READ).everywhere().to("reader"));
    }

    /** Two finished builds whose tokens could not be revoked: two REVOKE_PENDING entries. */
    private List<LedgerEntry> twoPendingTokens(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        oneAttemptPerCall();
        WorkflowJob p = pipeline(j, "p", "echo 'inside'");
        buildLeavingAPendingToken(j, zendesk.emulator(), p);
        buildLeavingAPendingToken(j, zendesk.emulator(), p);
        // It records the failure just before it lets go of the entry; the actions below must not find it in use.
        awaitNoOtherSweep();
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(2);
        return ledger();
    }

    private static int status(JenkinsRule.WebClient wc, HttpMethod method, String path) throws Exception {
        WebRequest request = new WebRequest(URI.create(wc.getContextPath() + path).toURL(), method);
        // Else an anonymous caller gets a 403 page that refreshes to the login page (200), and HtmlUnit follows it.
        request.setAdditionalHeader("X-Requested-With", "XMLHttpRequest");
        Page page = wc.getPage(request);
        return page.getWebResponse().getStatusCode();
    }

    private static String content(JenkinsRule.WebClient wc, String path) throws Exception {
        Page page = wc.getPage(new WebRequest(URI.create(wc.getContextPath() + path).toURL(), HttpMethod.GET));
        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        return page.getWebResponse().getContentAsString();
    }

    @Test
    void anonymousAndReadOnlyUsersGetNothing(JenkinsRule j) throws Exception {
        secure(j);
        List<LedgerEntry> pending = twoPendingTokens(j);
        String revoke = PAGE + "revoke?entryId=" + pending.get(0).id();
        try (JenkinsRule.WebClient anonymous = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
             JenkinsRule.WebClient reader = j.createWebClient().withBasicApiToken("reader").withThrowExceptionOnFailingStatusCode(false)) {
            for (JenkinsRule.WebClient wc : List.of(anonymous, reader)) {
                assertThat(status(wc, HttpMethod.GET, PAGE)).isEqualTo(403);
                assertThat(status(wc, HttpMethod.POST, PAGE + "sweep")).isEqualTo(403);
                assertThat(status(wc, HttpMethod.POST, revoke)).isEqualTo(403);
            }
        }
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(2);
        assertThat(ledger()).hasSize(2);

        // Clean up, and prove the tokens were revocable all along.
        ZendeskBrokerService.get().sweepNow();
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void managersMayLookButNotAct(JenkinsRule j) throws Exception {
        secure(j);
        List<LedgerEntry> pending = twoPendingTokens(j);
        try (JenkinsRule.WebClient manager = j.createWebClient().withBasicApiToken("manager").withThrowExceptionOnFailingStatusCode(false)) {
            String html = content(manager, PAGE);
            for (LedgerEntry entry : pending) {
                assertThat(html).contains(String.valueOf(entry.tokenId().orElseThrow()));
            }
            // The blurb above the table names every state too: look for the table cell.
            assertThat(html).contains("<td>REVOKE_PENDING</td>").contains("p#1").contains("p#2").contains("tickets:read");
            assertThat(html).doesNotContain("Revoke now").doesNotContain("Sweep now");

            assertThat(status(manager, HttpMethod.POST, PAGE + "sweep")).isEqualTo(403);
            assertThat(status(manager, HttpMethod.POST, PAGE + "revoke?entryId=" + pending.get(0).id())).isEqualTo(403);
            // GET never acts either.
            assertThat(status(manager, HttpMethod.GET, PAGE + "sweep")).isNotEqualTo(200);
        }
        assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(2);
        assertThat(zendesk.emulator().requestCount("DELETE", TOKENS_PATH)).isEqualTo(4);

        ZendeskBrokerService.get().sweepNow();
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void administratorsRevokeAndSweep(JenkinsRule j) throws Exception {
        secure(j);
        List<LedgerEntry> pending = twoPendingTokens(j);
        try (JenkinsRule.WebClient admin = j.createWebClient().withBasicApiToken("admin").withThrowExceptionOnFailingStatusCode(false)) {
            String html = content(admin, PAGE);
            assertThat(html).contains("Revoke now").contains("Sweep now");
            // The owner run is linked.
            assertThat(html).contains("job/p/1/");

            // Revoke now: exactly that entry's token.
            assertThat(status(admin, HttpMethod.POST, PAGE + "revoke?entryId=" + pending.get(0).id())).isEqualTo(200);
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
            assertThat(zendesk.emulator().liveTokenIds()).containsExactly(pending.get(1).tokenId().orElseThrow());
            assertThat(ledger()).extracting(LedgerEntry::id).containsExactly(pending.get(1).id());
            assertThat(content(admin, PAGE)).contains("1 revoked");

            // Sweep now: the other one, although its retry is not due yet.
            assertThat(status(admin, HttpMethod.POST, PAGE + "sweep")).isEqualTo(200);
            assertThat(content(admin, PAGE)).contains("No outstanding tokens.");
        }
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void corruptLedgerIsShown(JenkinsRule j) throws Exception {
        secure(j);
        Path file = ZendeskBrokerService.get().ledgerFile().toPath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not json");
        try (JenkinsRule.WebClient manager = j.createWebClient().withBasicApiToken("manager").withThrowExceptionOnFailingStatusCode(false)) {
            assertThat(content(manager, PAGE)).contains("The token ledger cannot be read").contains("corrupt or truncated");
        }
        assertThat(zendesk.emulator().liveTokenCount()).isZero();
    }
}
