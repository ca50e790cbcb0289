package io.jenkins.plugins.zendesk.oauth.impl;

import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.addCredential;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.assertAllRevoked;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.await;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.awaitNoOtherSweep;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.buildLeavingAPendingToken;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.ledger;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.oneAttemptPerCall;
import static io.jenkins.plugins.zendesk.oauth.impl.SweepFixture.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.ExtensionList;
import hudson.model.Item;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import jenkins.model.Jenkins;
import net.sf.json.JSONArray;
import net.sf.json.JSONNull;
import net.sf.json.JSONObject;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The outstanding tokens page as an admin and a monitoring script use it (issue 15): the JSON API,
 * the Credential column, wrapping errors, "Revoke now" asking first and telling the running build,
 * the last action's time and its going away, and "Sweep now" in a section of its own.
 */
@WithJenkins
class OutstandingTokensUiTest {
    private static final String PAGE = "zendesk-tokens/";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = TokenStepFixture.emulator();

    private static void secure(JenkinsRule j) {
        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Jenkins.MANAGE).everywhere().to("manager")
                .grant(Jenkins.READ, Jenkins.MANAGE, Item.READ).everywhere().to("monitoring")
                .grant(Jenkins.READ).everywhere().to("reader"));
    }

    /** A finished build whose token could not be revoked: one REVOKE_PENDING entry with a last error. */
    private LedgerEntry onePendingToken(JenkinsRule j) throws Exception {
        addCredential(zendesk.emulator());
        oneAttemptPerCall();
        buildLeavingAPendingToken(j, zendesk.emulator(), pipeline(j, "p", "echo 'inside'"));
        awaitNoOtherSweep();
        return ledger().get(0);
    }

    private static Page get(JenkinsRule.WebClient wc, String path) throws Exception {
        WebRequest request = new WebRequest(URI.create(wc.getContextPath() + path).toURL(), HttpMethod.GET);
        request.setAdditionalHeader("X-Requested-With", "XMLHttpRequest");
        return wc.getPage(request);
    }

    @Test
    void theJsonApiListsEveryOutstandingTokenWithoutItsValue(JenkinsRule j) throws Exception {
        secure(j);
        LedgerEntry pending = onePendingToken(j);
        try (JenkinsRule.WebClient manager = j.createWebClient().withBasicApiToken("monitoring").withThrowExceptionOnFailingStatusCode(false);
             JenkinsRule.WebClient blind = j.createWebClient().withBasicApiToken("manager").withThrowExceptionOnFailingStatusCode(false);
             JenkinsRule.WebClient reader = j.createWebClient().withBasicApiToken("reader").withThrowExceptionOnFailingStatusCode(false);
             JenkinsRule.WebClient anonymous = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            assertThat(get(reader, PAGE + "api/json").getWebResponse().getStatusCode()).isEqualTo(403);
            assertThat(get(anonymous, PAGE + "api/json").getWebResponse().getStatusCode()).isEqualTo(403);

            Page page = get(manager, PAGE + "api/json");
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
            String body = page.getWebResponse().getContentAsString();
            SecretScan.of(zendesk.emulator()).assertNotIn("tokens API", body);
            JSONArray tokens = JSONObject.fromObject(body).getJSONArray("tokens");
            assertThat(tokens.size()).isEqualTo(1);
            JSONObject token = tokens.getJSONObject(0);
            assertThat(token.getString("id")).isEqualTo(pending.id());
            assertThat(token.getString("tokenId")).isEqualTo(String.valueOf(pending.tokenId().orElseThrow()));
            assertThat(token.getString("state")).isEqualTo("REVOKE_PENDING");
            assertThat(token.getString("credential")).isEqualTo(SweepFixture.CREDENTIALS_ID);
            assertThat(token.getString("job")).isEqualTo("p");
            assertThat(token.getInt("build")).isEqualTo(1);
            assertThat(token.getString("lastError")).contains("503");
            assertThat(token.getInt("failures")).isEqualTo(2);
            assertThat(token.has("expiresAt")).isTrue();
            assertThat(token.getString("scopes")).isEqualTo("tickets:read");

            // Who may not see the job gets the token, not the job's name or build.
            JSONObject hidden = JSONObject.fromObject(get(blind, PAGE + "api/json").getWebResponse().getContentAsString())
                    .getJSONArray("tokens").getJSONObject(0);
            assertThat(hidden.getString("id")).isEqualTo(pending.id());
            assertThat(hidden.get("job")).isInstanceOf(JSONNull.class);
            assertThat(hidden.getInt("build")).isZero();

            // tree= picks fields, as everywhere in Jenkins' remote API; depth= is accepted.
            JSONObject picked = JSONObject.fromObject(get(manager, PAGE + "api/json?tree=tokens[id,state]").getWebResponse().getContentAsString());
            assertThat(picked.getJSONArray("tokens").getJSONObject(0).keySet()).containsExactlyInAnyOrder("id", "state");
            assertThat(get(manager, PAGE + "api/json?depth=1").getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(get(manager, PAGE + "api/xml").getWebResponse().getContentAsString()).contains("<state>REVOKE_PENDING</state>");
        }
        ZendeskBrokerService.get().sweepNow();
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void thePageHasACredentialColumnWrapsErrorsAndGivesSweepASection(JenkinsRule j) throws Exception {
        secure(j);
        onePendingToken(j);
        try (JenkinsRule.WebClient admin = j.createWebClient().withBasicApiToken("admin")) {
            HtmlPage page = admin.goTo(PAGE);
            HtmlElement table = page.getHtmlElementById("zendesk-tokens");
            assertThat(table.asNormalizedText()).contains("Credential").contains(SweepFixture.CREDENTIALS_ID);
            HtmlElement error = table.getFirstByXPath(".//td[@class='zendesk-last-error']");
            assertThat(error.asNormalizedText()).contains("503");
            assertThat(error.getAttribute("style")).contains("overflow-wrap:anywhere").contains("max-width");
            HtmlElement sweep = page.getHtmlElementById("zendesk-sweep");
            assertThat(sweep.getTagName()).isEqualTo("section");
            assertThat(sweep.asNormalizedText()).startsWith("Sweep").contains("Sweep now");
            assertThat(page.getFormByName("sweep").getEnclosingElement("section")).isSameAs(sweep);
        }
        ZendeskBrokerService.get().sweepNow();
        assertAllRevoked(zendesk.emulator());
    }

    @Test
    void revokeNowAsksFirstTellsTheRunningBuildAndTheLastActionFades(JenkinsRule j) throws Exception {
        secure(j);
        addCredential(zendesk.emulator());
        oneAttemptPerCall();
        WorkflowJob p = pipeline(j, "running", "echo 'inside'; sleep 600");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("inside", b);
        await("a live entry", () -> ledger().size() == 1 && ledger().get(0).state() == LedgerEntry.State.LIVE);
        LedgerEntry live = ledger().get(0);
        OutstandingTokensLink link = ExtensionList.lookupSingleton(OutstandingTokensLink.class);
        try (JenkinsRule.WebClient admin = j.createWebClient().withBasicApiToken("admin")) {
            HtmlPage list = admin.goTo(PAGE);
            HtmlAnchor revoke = (HtmlAnchor) list.getElementById("revoke-" + live.id());
            HtmlPage confirm = revoke.click();
            // Following the link revokes nothing: it asks.
            assertThat(zendesk.emulator().liveTokenCount()).isEqualTo(1);
            assertThat(confirm.asNormalizedText()).contains("Revoke this Zendesk token now?")
                    .contains(String.valueOf(live.tokenId().orElseThrow())).contains("running#1").contains(SweepFixture.CREDENTIALS_ID);
            HtmlPage after = j.submit(confirm.getFormByName("revoke"));
            assertThat(zendesk.emulator().liveTokenCount()).isZero();
            String last = after.getHtmlElementById("zendesk-last-action").asNormalizedText();
            assertThat(last).contains("1 revoked").containsPattern("\\d{4}-\\d{2}-\\d{2}T");
            j.waitForMessage("Zendesk token id " + live.tokenId().orElseThrow() + " of this build was revoked by admin", b);

            // The last action goes away after a while.
            link.setClock(Clock.offset(Clock.systemUTC(), OutstandingTokensLink.LAST_ACTION_SHOWN.plus(Duration.ofMinutes(1))));
            assertThat(admin.goTo(PAGE).getElementById("zendesk-last-action")).isNull();
            // An entry that is gone gets a page that says so, not an error.
            assertThat(admin.goTo(PAGE + "confirmRevoke?entryId=" + live.id()).asNormalizedText()).contains("no longer outstanding");
        } finally {
            link.setClock(Clock.systemUTC());
            b.doStop();
            j.waitForCompletion(b);
        }
        j.assertLogContains("Zendesk no longer knew it", b);
        IssuedToken token = zendesk.emulator().token(live.tokenId().orElseThrow()).orElseThrow();
        assertThat(token.revoked()).isTrue();
        awaitNoOtherSweep();
        assertAllRevoked(zendesk.emulator());
    }
}
