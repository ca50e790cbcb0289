package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;

/**
 * Zendesk (or a proxy in front of it) answered with an error status or a body that is not the
 * expected JSON. {@link #reason()} classifies it so callers can react without parsing messages.
 */
public final class ZendeskApiException extends ZendeskException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure Zendesk reported. */
    public enum Reason {
        /** 401: wrong email or token, or API token / password access disabled in Admin Center. */
        AUTHENTICATION,
        /** 403: the user is not an admin, or the OAuth client refuses the request. */
        PERMISSION,
        /** 404 on something that must exist (site, client). */
        NOT_FOUND,
        /** 422 (or 400): Zendesk rejected the request's content. */
        VALIDATION,
        /** 429 still in force after the allowed retries. */
        RATE_LIMITED,
        /** 5xx still failing after the allowed retries. */
        SERVER_ERROR,
        /** A body that is not the expected JSON (HTML error page, proxy page, empty). */
        UNEXPECTED_RESPONSE,
        /** Something we cannot name more precisely (e.g. a redirect, which is never followed). */
        OTHER
    }

    private final int status;
    private final Reason reason;

    ZendeskApiException(int status, Reason reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    /** The HTTP status Zendesk answered with. */
    public int status() {
        return status;
    }

    public Reason reason() {
        return reason;
    }
}
