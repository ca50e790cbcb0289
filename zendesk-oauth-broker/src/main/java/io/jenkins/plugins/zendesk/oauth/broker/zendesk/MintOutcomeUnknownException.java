package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import java.time.Instant;

/**
 * The mint request may have reached Zendesk, but no answer confirmed or denied that a token was
 * created (timeout, dropped connection, 5xx, interruption). The request is deliberately not
 * repeated: a blind retry could leave a second live token. The caller reconciles instead, by
 * listing the client's tokens created between {@link #sentAt()} and {@link #gaveUpAt()}.
 */
public final class MintOutcomeUnknownException extends ZendeskException {
    private static final long serialVersionUID = 1L;

    private final Instant sentAt;
    private final Instant gaveUpAt;

    public MintOutcomeUnknownException(String message, Instant sentAt, Instant gaveUpAt, Throwable cause) {
        super(message, cause);
        this.sentAt = sentAt;
        this.gaveUpAt = gaveUpAt;
    }

    /** When the first mint request left. */
    public Instant sentAt() {
        return sentAt;
    }

    /** When the broker stopped waiting for an answer. */
    public Instant gaveUpAt() {
        return gaveUpAt;
    }
}
