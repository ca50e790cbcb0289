package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Instant;
import java.util.List;

/**
 * A token as listed by {@code GET /api/v2/oauth/tokens.json}: no value, only its metadata
 * (Zendesk shows just the first characters, which we do not keep).
 */
public record IssuedTokenInfo(long id, long clientId, long userId, List<String> scopes, Instant createdAt) {
    public IssuedTokenInfo {
        scopes = List.copyOf(scopes);
    }
}
