package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import io.jenkins.plugins.zendesk.oauth.broker.auth.SecretHygiene;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Turns a {@link ZendeskCall} into the JDK request of one attempt: headers, body, timeout. */
final class HttpRequests {
    private HttpRequests() {
    }

    /**
     * @throws ZendeskInputException when the header would hold a control character: the JDK's refusal of a bad
     *                               header quotes it, secret included, so it is refused first with a text of our own
     */
    static HttpRequest of(ZendeskCall call, CallAuthorization authorization, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .timeout(timeout)
                .header("Accept", "application/json");
        if (authorization.header().isPresent()) {
            String value = authorization.header().get();
            if (!SecretHygiene.isHeaderSafe(value)) {
                throw new ZendeskInputException("authentication", "the " + call.auth().describe() + " cannot be sent in an HTTP header"
                        + " (it contains a control character); enter it again as a single line");
            }
            builder.header("Authorization", value);
        }
        if (call.body() == null) {
            if (call.method().equals("DELETE")) {
                // Zendesk's request-format rule asks DELETE for a Content-Type too; with no body it is harmless (see ZendeskCall).
                builder.header("Content-Type", "application/json");
            }
            builder.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json");
            builder.method(call.method(), HttpRequest.BodyPublishers.ofString(call.body().toString()));
        }
        return builder.build();
    }
}
