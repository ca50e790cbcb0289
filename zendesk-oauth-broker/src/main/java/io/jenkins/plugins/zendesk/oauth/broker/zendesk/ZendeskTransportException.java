package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;

/**
 * No usable answer came back: connection refused or reset, timeout, overall deadline exceeded,
 * or the calling thread was interrupted.
 */
public final class ZendeskTransportException extends ZendeskException {
    private static final long serialVersionUID = 1L;

    ZendeskTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
