package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One Zendesk OAuth scope: {@code read}, {@code write}, {@code impersonate}, or
 * {@code <resource>:read} / {@code <resource>:write}. Zendesk itself accepts invalid scopes
 * (the token then fails with 403 on every call), so the grammar is enforced here.
 */
public record Scope(String resource, Access access) implements Comparable<Scope> {

    /** The access part of a scope. */
    public enum Access {
        READ, WRITE, IMPERSONATE;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Resources that take both {@code :read} and {@code :write}. */
    public static final List<String> READ_WRITE_RESOURCES = List.of(
            "tickets", "users", "organizations", "hc", "apps", "triggers", "automations", "targets",
            "webhooks", "macros", "requests", "satisfaction_ratings", "dynamic_content");
    /** Resources that only take {@code :read}. */
    public static final List<String> READ_ONLY_RESOURCES = List.of("auditlogs");
    /** Resources that only take {@code :write}. */
    public static final List<String> WRITE_ONLY_RESOURCES = List.of("any_channel", "web_widget");

    private static final Comparator<Scope> ORDER = Comparator
            .comparing((Scope s) -> s.resource == null ? "" : s.resource)
            .thenComparing(Scope::access);

    public Scope {
        if (access == null) {
            throw new IllegalArgumentException("access is required");
        }
        if (resource != null && (access == Access.IMPERSONATE || !allows(resource, access))) {
            throw new IllegalArgumentException("invalid scope " + resource + ":" + access.text());
        }
    }

    /**
     * Parses one scope (trimmed, case-insensitive).
     *
     * @throws ZendeskInputException naming {@code field}, listing the valid values
     */
    public static Scope parse(String text, String field) {
        InputLimits.require(text, InputLimits.SCOPE, field, "a scope");
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "read":
                return new Scope(null, Access.READ);
            case "write":
                return new Scope(null, Access.WRITE);
            case "impersonate":
                return new Scope(null, Access.IMPERSONATE);
            case "chat":
                throw new ZendeskInputException(field, "'chat' is a Zendesk Chat API scope; Chat tokens use their own OAuth flow and "
                        + "cannot be minted here. " + validValues());
            default:
                break;
        }
        int colon = s.indexOf(':');
        if (colon > 0) {
            String resource = s.substring(0, colon);
            String accessText = s.substring(colon + 1);
            Optional<Access> access = accessText.equals("read") ? Optional.of(Access.READ)
                    : accessText.equals("write") ? Optional.of(Access.WRITE) : Optional.empty();
            if (access.isPresent() && allows(resource, access.get())) {
                return new Scope(resource, access.get());
            }
            if (access.isPresent() && isResource(resource)) {
                throw new ZendeskInputException(field, "'" + s + "' is not allowed: " + resource + " is "
                        + (READ_ONLY_RESOURCES.contains(resource) ? "read-only" : "write-only") + ". " + validValues());
            }
        }
        throw new ZendeskInputException(field, "unknown scope '" + text + "'" + suggestion(s) + ". " + validValues());
    }

    private static boolean isResource(String resource) {
        return READ_WRITE_RESOURCES.contains(resource) || READ_ONLY_RESOURCES.contains(resource) || WRITE_ONLY_RESOURCES.contains(resource);
    }

    private static boolean allows(String resource, Access access) {
        return READ_WRITE_RESOURCES.contains(resource)
                || (access == Access.READ && READ_ONLY_RESOURCES.contains(resource))
                || (access == Access.WRITE && WRITE_ONLY_RESOURCES.contains(resource));
    }

    /** Every valid scope, in the order used in messages. */
    public static List<String> allValid() {
        List<String> all = new java.util.ArrayList<>(List.of("read", "write", "impersonate"));
        for (String r : READ_WRITE_RESOURCES) {
            all.add(r + ":read");
            all.add(r + ":write");
        }
        READ_ONLY_RESOURCES.forEach(r -> all.add(r + ":read"));
        WRITE_ONLY_RESOURCES.forEach(r -> all.add(r + ":write"));
        return all;
    }

    private static String validValues() {
        return "Valid scopes: read, write, impersonate, or <resource>:read / <resource>:write for "
                + String.join(", ", READ_WRITE_RESOURCES) + "; auditlogs:read; any_channel:write, web_widget:write";
    }

    private static String suggestion(String s) {
        return allValid().stream()
                .filter(candidate -> editDistance(candidate, s) <= 2)
                .min(Comparator.comparingInt(candidate -> editDistance(candidate, s)))
                .map(candidate -> " (did you mean '" + candidate + "'?)")
                .orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Whether a token limited to {@code granted} may carry this scope: {@code tickets:read} is
     * within {@code read}; {@code read} is not within {@code tickets:read}; {@code write} does not
     * imply {@code read}.
     */
    public boolean isWithin(Set<Scope> granted) {
        return granted.contains(this)
                || (resource != null && granted.contains(new Scope(null, access)));
    }

    @Override
    public int compareTo(Scope other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return resource == null ? access.text() : resource + ":" + access.text();
    }
}
