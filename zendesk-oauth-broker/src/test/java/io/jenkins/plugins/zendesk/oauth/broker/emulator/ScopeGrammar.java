package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Zendesk's OAuth scope grammar, written independently of the production code. */
final class ScopeGrammar {

    private static final Set<String> GLOBAL = Set.of("read", "write", "impersonate");
    /**
     * OAuth Tokens reference ("Scopes"): tickets ... dynamic_content and unrestricted; "Creating and using OAuth
     * tokens with the API": zis, themes; "Announcing more granular OAuth client scopes" (2026-08-10): the rest.
     */
    private static final Set<String> READ_WRITE = Set.of("tickets", "users", "organizations", "hc", "apps",
            "triggers", "automations", "targets", "webhooks", "macros", "requests", "satisfaction_ratings",
            "dynamic_content", "unrestricted", "zis", "themes", "account_settings", "brands", "custom_objects",
            "deletion_schedules", "groups", "sla_policies", "ticket_attachments", "ticket_views");
    /** OAuth Tokens reference: auditlogs; Zendesk's OpenAPI description of 2026-07: security. */
    private static final Set<String> READ_ONLY = Set.of("auditlogs", "security");
    /** OAuth Tokens reference. */
    private static final Set<String> WRITE_ONLY = Set.of("any_channel", "web_widget");

    private ScopeGrammar() {
    }

    /** Whether Zendesk knows {@code scope} (case-sensitive, as Zendesk is). */
    static boolean isValid(String scope) {
        if (GLOBAL.contains(scope)) {
            return true;
        }
        int colon = scope.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String resource = scope.substring(0, colon);
        String access = scope.substring(colon + 1);
        if (access.equals("read")) {
            return READ_WRITE.contains(resource) || READ_ONLY.contains(resource);
        }
        if (access.equals("write")) {
            return READ_WRITE.contains(resource) || WRITE_ONLY.contains(resource);
        }
        return false;
    }

    /**
     * Whether a client restricted to {@code allowed} may grant {@code scope}: listed, or a
     * {@code <resource>:read} / {@code <resource>:write} covered by a listed global {@code read} / {@code write}.
     */
    static boolean permits(Set<String> allowed, String scope) {
        if (allowed.contains(scope)) {
            return true;
        }
        int colon = scope.indexOf(':');
        return colon >= 0 && allowed.contains(scope.substring(colon + 1));
    }

    /** The scopes outside Zendesk's grammar. */
    static List<String> invalid(List<String> scopes) {
        return scopes.stream().filter(s -> !isValid(s)).toList();
    }

    /** The scopes a client restricted to {@code allowed} ({@code null}: not restricted) may not grant. */
    static List<String> disallowed(Set<String> allowed, List<String> scopes) {
        return allowed == null ? List.of() : scopes.stream().filter(s -> !permits(allowed, s)).toList();
    }

    /** Whether {@code held} contains any of {@code needed}. */
    static boolean grantsAny(Collection<String> held, String... needed) {
        for (String scope : needed) {
            if (held.contains(scope)) {
                return true;
            }
        }
        return false;
    }
}
