package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import java.time.Instant;
import java.util.Optional;

/**
 * A freshly minted OAuth access token. {@link #value()} is the only copy of the full token;
 * {@link #toString()} never shows it.
 *
 * @param expiresAt empty when the token lives until revoked (Zendesk's {@code expires_at: null})
 */
public record MintedToken(long id, SecretValue value, long clientId, long userId, ScopeSet scopes, Instant createdAt,
                          Optional<Instant> expiresAt) {

    @Override
    public String toString() {
        return "MintedToken[id=" + id + ", clientId=" + clientId + ", userId=" + userId + ", scopes=" + scopes
                + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt.map(Instant::toString).orElse("never") + "]";
    }
}
