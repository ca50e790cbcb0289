package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

/** An OAuth client as listed by {@code GET /api/v2/oauth/clients.json}. */
public record OAuthClientInfo(long id, String identifier, String name) {
}
