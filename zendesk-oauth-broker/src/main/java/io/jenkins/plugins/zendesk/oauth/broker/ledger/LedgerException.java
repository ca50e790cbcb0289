package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;

/**
 * The ledger could not be read or written. A corrupt file is reported, never silently replaced:
 * it may be the only record of a live token.
 */
public final class LedgerException extends ZendeskException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
