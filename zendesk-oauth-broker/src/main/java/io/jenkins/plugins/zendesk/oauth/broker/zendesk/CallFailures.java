package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.zendesk.oauth.broker.value.FailureText;
import io.jenkins.plugins.zendesk.oauth.broker.value.Redaction;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Classifies what a call got back (an answer, no answer, a refusal by the JDK) and says it in an
 * exception that names the call and what to do. A call that is not idempotent (the mint) and whose
 * outcome is open fails with {@link MintOutcomeUnknownException}, never a plain failure.
 */
final class CallFailures {
    private final RetryPolicy policy;
    private final Clock clock;

    CallFailures(RetryPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** The JSON of a success; an empty body is a missing node; anything but JSON (a proxy's page) fails. */
    JsonNode successJson(ZendeskCall call, HttpResponse<String> response, Instant start) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return ZendeskTransport.JSON.missingNode();
        }
        Optional<JsonNode> json = ZendeskErrors.parseJson(response);
        if (json.isPresent()) {
            return json.get();
        }
        String problem = "Zendesk answered HTTP " + response.statusCode() + " with " + ZendeskErrors.contentType(response)
                + " instead of JSON: '" + Redaction.excerpt(body, call.secrets(), ZendeskTransport.EXCERPT) + "'";
        if (!call.idempotent()) {
            throw uncertain(call, start, problem, null);
        }
        throw new ZendeskApiException(response.statusCode(), ZendeskApiException.Reason.UNEXPECTED_RESPONSE,
                call.describe() + " on " + call.origin() + ": " + problem + ". Is a proxy or gateway answering instead of Zendesk?");
    }

    /** An answer past {@link CappedBody#MAX_BYTES}: no Zendesk answer is that large, so it is neither retried nor quoted. */
    ZendeskException tooLarge(ZendeskCall call, Instant start) {
        String problem = "the answer was larger than " + CappedBody.MAX_BYTES + " bytes and was not read";
        if (!call.idempotent()) {
            return uncertain(call, start, problem, null);
        }
        return new ZendeskApiException(0, ZendeskApiException.Reason.UNEXPECTED_RESPONSE, call.describe() + " on " + call.origin() + ": "
                + problem + ". Is a proxy or gateway answering instead of Zendesk?");
    }

    /**
     * The JDK refused the request: its message may quote the request, headers included. Neither it nor the
     * exception (a cause is printed with every stack trace) goes further.
     */
    ZendeskException refused(ZendeskCall call, Instant start, RuntimeException refusal) {
        String problem = FailureText.of(refusal);
        if (!call.idempotent()) {
            return uncertain(call, start, problem, null);
        }
        return new ZendeskTransportException(call.describe() + " on " + call.origin() + " failed: " + problem, null);
    }

    ZendeskException interrupted(ZendeskCall call, Instant start, InterruptedException e) {
        if (!call.idempotent()) {
            return uncertain(call, start, "the calling thread was interrupted (build aborted?)", e);
        }
        return new ZendeskTransportException(call.describe() + " on " + call.origin() + " was interrupted", e);
    }

    /** A 5xx that outlasted the retries; a non-JSON page (load balancer, proxy) is not Zendesk's own answer. */
    ZendeskApiException serverError(ZendeskCall call, HttpResponse<String> response, int attempt) {
        boolean zendeskJson = ZendeskErrors.parseJson(response).isPresent();
        return new ZendeskApiException(response.statusCode(), zendeskJson ? ZendeskApiException.Reason.SERVER_ERROR
                : ZendeskApiException.Reason.UNEXPECTED_RESPONSE, call.describe() + " on " + call.origin()
                + ": Zendesk server error HTTP " + response.statusCode() + " after " + attempt + " attempt(s)"
                + (attempt < policy.maxAttempts() ? ", another would pass the overall deadline of " + Backoff.human(policy.deadline()) : "")
                + " (" + ZendeskErrors.errorText(call, response) + "). "
                + (zendeskJson ? "" : "Is a proxy or gateway answering instead of Zendesk? ")
                + "Check https://status.zendesk.com and retry later.");
    }

    ZendeskException gaveUp(ZendeskCall call, String why, Exception cause) {
        return new ZendeskTransportException(call.describe() + " on " + call.origin() + " failed: " + why
                + ". Check that Jenkins can reach the Zendesk site (proxy settings, firewall) and retry.", cause);
    }

    MintOutcomeUnknownException uncertain(ZendeskCall call, Instant start, String why, Exception cause) {
        return new MintOutcomeUnknownException(call.describe() + " on " + call.origin() + ": " + why
                + ". The token may or may not have been created; its ledger entry stays until reconciliation has revoked it, if it exists.",
                start, clock.instant(), cause);
    }

    static String transportProblem(IOException e) {
        String name = e.getClass().getSimpleName();
        return e instanceof HttpTimeoutException ? "no answer within the request timeout (" + name + ")"
                : "connection failed (" + name + ")";
    }
}
