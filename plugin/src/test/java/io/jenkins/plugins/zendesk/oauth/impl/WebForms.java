package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import org.jvnet.hudson.test.JenkinsRule;

/** Calls form endpoints over HTTP as a given user, the way the browser does. */
final class WebForms {
    private WebForms() {
    }

    /** Status and body, read before the web client is closed (closing it frees the response). */
    record Reply(int status, String body) {
    }

    /**
     * Sends a request to {@code <context>descriptorByName/<describable class>/<method>} with the
     * parameters in the body (POST) or the query string (other methods).
     *
     * @param user    a user of the dummy security realm (API token, so no crumb is needed), or null for anonymous
     * @param context the URL, relative to Jenkins' root, of the object whose {@code descriptorByName} the page's form uses:
     *                {@code ""} for the root (global stores), {@code "job/f/"} for folder {@code f}'s stores. The
     *                credentials form is under {@code job/f/credentials/store/...}, and Jenkins' validate buttons and
     *                checks post to the nearest {@code DescriptorByNameOwner} on that path, the folder; the credentials
     *                plugin's {@code @ContextInPath} then finds the folder among the request's ancestors.
     */
    static Reply call(JenkinsRule j, HttpMethod verb, @CheckForNull String user, String context, Class<?> describable, String method,
                      Map<String, String> params) throws Exception {
        String query = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            if (user != null) {
                wc.withBasicApiToken(user);
            }
            // A POST carries its parameters in the body, as the browser's form does: in a query string HtmlUnit would turn an
            // encoded '+' (frequent in Jenkins' ciphertexts) back into one, which the server reads as a space.
            boolean inBody = verb == HttpMethod.POST;
            WebRequest request = new WebRequest(URI.create(j.getURL() + context + "descriptorByName/" + describable.getName() + "/" + method
                    + (query.isEmpty() || inBody ? "" : "?" + query)).toURL(), verb);
            if (inBody) {
                request.setRequestParameters(params.entrySet().stream().map(e -> new NameValuePair(e.getKey(), e.getValue())).toList());
            }
            // As the form's AJAX calls do; an anonymous caller then gets a bare 403, not a login page.
            request.setAdditionalHeader("X-Requested-With", "XMLHttpRequest");
            var response = wc.getPage(request).getWebResponse();
            return new Reply(response.getStatusCode(), response.getContentAsString());
        }
    }

    static Reply post(JenkinsRule j, @CheckForNull String user, Class<?> describable, String method, Map<String, String> params)
            throws Exception {
        return call(j, HttpMethod.POST, user, "", describable, method, params);
    }
}
