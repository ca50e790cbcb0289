package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

/** The Zendesk user behind an admin credential, as reported by {@code /api/v2/users/me.json}. */
public record ZendeskUser(long id, String name, String email, String role) {

    boolean isAdmin() {
        return "admin".equals(role);
    }
}
