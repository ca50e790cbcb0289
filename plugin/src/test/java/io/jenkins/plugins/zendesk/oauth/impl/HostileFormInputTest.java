package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.LedgerAuthority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import jenkins.model.Jenkins;
import java.net.URL;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 14, finding 1: a user with only Overall/Read reached quadratic patterns through the form
 * checks of their own {@code /user/<id>/} page (60,000 characters took 24 s in checkSite, 22 s in
 * checkEmail). Each form check and Test connection now meets 1 MB values of the shapes that made
 * them quadratic, as that user in that context. Measured as the ratio to a 10-character value of
 * the same shape, best of several runs; the preemptive timeout only keeps a regression from hanging.
 */
@WithJenkins
class HostileFormInputTest {
    private static final int MB = 1 << 20;
    /** Bounded checks read a few hundred characters at most; the whole megabyte would be 100,000x. */
    private static final double MAX_RATIO = 10_000;
    private static final List<String> SHAPES = List.of("<", "a@a.", "a.", "a", " ", "<script>");

    private static void secure(JenkinsRule j) {
        j.jenkins.setCrumbIssuer(null);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere().to("reader"));
    }

    /**
     * A check and how it places the hostile value in its input. The input is built before the clock
     * starts: copying a megabyte is linear and would otherwise be measured as the check's cost.
     */
    private record Check(UnaryOperator<String> input, Function<String, FormValidation> run) {
        static Check of(Function<String, FormValidation> run) {
            return new Check(UnaryOperator.identity(), run);
        }
    }

    /** Every form check and Test connection, with the hostile value in the field each one parses. */
    private static Map<String, Check> checks(User context) {
        ZendeskAdminCredentialsImpl.DescriptorImpl credential = Jenkins.get().getDescriptorByType(ZendeskAdminCredentialsImpl.DescriptorImpl.class);
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("checkSite", Check.of(v -> credential.doCheckSite(context, v)));
        checks.put("checkEmail", Check.of(v -> credential.doCheckEmail(context, v)));
        checks.put("checkClient", Check.of(v -> credential.doCheckClient(context, v)));
        checks.put("checkAllowedScopes", Check.of(v -> credential.doCheckAllowedScopes(context, v)));
        checks.put("checkDefaultScopes", Check.of(v -> credential.doCheckDefaultScopes(context, v, v)));
        checks.put("testConnection minutes", Check.of(v -> Jenkins.get().getDescriptorByType(ClientCredentialsAuthentication.DescriptorImpl.class)
                .testConnection(context, TestConnectionForm.of("site", "!", "client", null, "clientId", "jenkins_ci", "clientSecret", "s3cret", "clientSecretCredentialsId", null, "controlTokenMinutes", v))));
        checks.put("checkClientId", Check.of(v -> Jenkins.get().getDescriptorByType(ClientCredentialsAuthentication.DescriptorImpl.class)
                .doCheckClientId(context, v)));
        checks.put("checkControlTokenMinutes", Check.of(v -> Jenkins.get().getDescriptorByType(ClientCredentialsAuthentication.DescriptorImpl.class)
                .doCheckControlTokenMinutes(context, v)));
        // Test connection gets values that stay invalid however short ("!" fits no field), so that it never calls out.
        ApiTokenAuthentication.DescriptorImpl apiToken = Jenkins.get().getDescriptorByType(ApiTokenAuthentication.DescriptorImpl.class);
        checks.put("testConnection site", new Check(v -> "!" + v, v -> apiToken.testConnection(context, TestConnectionForm.of("site", v, "email", "robot@example.com", "client", "50328", "apiToken", "t0ken"))));
        checks.put("testConnection email", new Check(v -> "!" + v, v -> apiToken.testConnection(context, TestConnectionForm.of("site", "acme", "email", v, "client", "50328", "apiToken", "t0ken"))));
        checks.put("testConnection client", new Check(v -> "!" + v, v -> apiToken.testConnection(context, TestConnectionForm.of("site", "acme", "email", "robot@example.com", "client", v, "apiToken", "t0ken"))));
        checks.put("testConnection clientId", new Check(v -> "!" + v, v -> Jenkins.get().getDescriptorByType(ClientCredentialsAuthentication.DescriptorImpl.class)
                .testConnection(context, TestConnectionForm.of("site", "acme", "client", null, "clientId", v, "clientSecret", "s3cret", "clientSecretCredentialsId", null, "controlTokenMinutes", null))));
        checks.put("LedgerAuthority.parse", new Check(v -> "jenkins:" + v + "@" + v, v -> {
            LedgerAuthority.parse(v);
            return FormValidation.ok();
        }));
        return checks;
    }

    @Test
    void eachFormCheckCostsAboutTheSameForOneMegabyteAsForTenCharacters(JenkinsRule j) throws Exception {
        secure(j);
        User reader = User.getById("reader", true);
        for (Map.Entry<String, Check> check : checks(reader).entrySet()) {
            for (String shape : SHAPES) {
                String small = check.getValue().input().apply(repeat(shape, 10));
                String large = check.getValue().input().apply(repeat(shape, MB) + ":");
                double ratio = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                    // The timeout runs this on a thread of its own: act as the reader there.
                    try (ACLContext ignored = ACL.as(reader)) {
                        long floor = best(check.getValue().run(), small, 200);
                        long big = best(check.getValue().run(), large, 5);
                        return (double) big / Math.max(floor, 1);
                    }
                }, () -> "hang guard: " + check.getKey() + " never finished 1 MB of '" + shape + "'");
                System.out.printf("%-26s %-10s ratio %8.1f%n", check.getKey(), "'" + shape + "'", ratio);
                assertThat(ratio).as("%s on 1 MB of '%s', as a multiple of 10 characters", check.getKey(), shape).isLessThan(MAX_RATIO);
            }
        }
    }

    @Test
    void aReadOnlyUserReachesTheChecksInTheirOwnContextAndGetsAClearRefusal(JenkinsRule j) throws Exception {
        secure(j);
        // As the issue measured it: 60,000 characters, in the POST body as the form sends them.
        try (JenkinsRule.WebClient wc = j.createWebClient().withBasicApiToken("reader")) {
            String site = postForm(j, wc, "checkSite", "<".repeat(60_000));
            assertThat(site).contains("too long (60000 characters; at most 512)").doesNotContain("&lt;&lt;&lt;&lt;");
            String email = postForm(j, wc, "checkEmail", "a@" + "a.".repeat(30_000) + ":");
            assertThat(email).contains("too long (60003 characters; at most 254)");
        }
    }

    @Test
    void aMegabyteOfSpacesIsRefusedAsTooLongNotTakenForAnEmptyField(JenkinsRule j) {
        ZendeskAdminCredentialsImpl.DescriptorImpl credential = j.jenkins.getDescriptorByType(ZendeskAdminCredentialsImpl.DescriptorImpl.class);
        String spaces = " ".repeat(MB);
        for (FormValidation check : List.of(credential.doCheckSite(j.jenkins, spaces), credential.doCheckEmail(j.jenkins, spaces),
                credential.doCheckClient(j.jenkins, spaces))) {
            assertThat(check.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(check.getMessage()).contains("too long (" + MB + " characters");
        }
        // A few spaces still mean nothing typed yet.
        assertThat(credential.doCheckSite(j.jenkins, "   ").kind).isEqualTo(FormValidation.Kind.OK);
    }

    private static String postForm(JenkinsRule j, JenkinsRule.WebClient wc, String check, String value) throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL() + "user/reader/descriptorByName/" + ZendeskAdminCredentialsImpl.class.getName()
                + "/" + check), HttpMethod.POST);
        request.setRequestParameters(List.of(new NameValuePair("value", value)));
        request.setAdditionalHeader("X-Requested-With", "XMLHttpRequest");
        WebResponse response = wc.getPage(request).getWebResponse();
        assertThat(response.getStatusCode()).as(check).isEqualTo(200);
        return response.getContentAsString();
    }

    private static String repeat(String shape, int length) {
        return shape.repeat(length / shape.length() + 1).substring(0, length);
    }

    /** The fastest of {@code runs} runs, after as many to warm up. */
    private static long best(Function<String, FormValidation> check, String input, int runs) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2 * runs; i++) {
            long start = System.nanoTime();
            check.apply(input);
            best = i >= runs ? Math.min(best, System.nanoTime() - start) : best;
        }
        return best;
    }
}
