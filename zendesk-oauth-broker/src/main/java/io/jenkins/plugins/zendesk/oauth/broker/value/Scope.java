package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One Zendesk OAuth scope: {@code read}, {@code write}, {@code impersonate}, or
 * {@code <resource>:read} / {@code <resource>:write}. Zendesk itself accepts invalid scopes
 * (the token then fails with 403 on every call), so scopes are checked here against the
 * {@link ScopeCatalogue}. A well-formed scope the catalogue does not know (Zendesk adds scopes) is
 * accepted only where an admin vouches for it: in a credential's allowed scopes, or requested
 * when those allowed scopes name it.
 */
public record Scope(String resource, Access access) implements Comparable<Scope> {

    /** The access part of a scope. */
    public enum Access {
        READ, WRITE, IMPERSONATE;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Comparator<Scope> ORDER = Comparator
            .comparing((Scope s) -> s.resource == null ? "" : s.resource)
            .thenComparing(Scope::access);

    public Scope {
        if (access == null) {
            throw new IllegalArgumentException("access is required");
        }
        if (resource != null && (access == Access.IMPERSONATE || !ScopeCatalogue.isResourceName(resource))) {
            throw new IllegalArgumentException("invalid scope " + resource + ":" + access.text());
        }
    }

    /**
     * Parses one catalogued scope (trimmed, case-insensitive).
     *
     * @throws ZendeskInputException naming {@code field}, with a suggestion and the valid values
     */
    public static Scope parse(String text, String field) {
        return parse(text, field, Set.of());
    }

    /**
     * Parses one scope that is catalogued or, if not, is one of {@code vouched} (the scopes a credential's
     * allowed scopes name explicitly).
     *
     * @throws ZendeskInputException naming {@code field}, with a suggestion and how to allow the scope
     */
    public static Scope parse(String text, String field, Set<Scope> vouched) {
        Scope scope = parseVouched(text, field);
        if (scope.isCatalogued() || vouched.contains(scope)) {
            return scope;
        }
        String s = scope.toString();
        throw new ZendeskInputException(field, "unknown scope '" + text.trim() + "'" + suggestion(s) + ". If Zendesk added '" + s
                + "' after this plugin's scope list, a Jenkins admin can allow it by naming it explicitly in the credential's"
                + " allowed scopes (allowedScopes). " + validValues());
    }

    /**
     * Parses one scope of a credential's allowed scopes, where an admin vouches for what is listed: any
     * well-formed scope of a resource the catalogue does not know, or a catalogued scope. A resource the catalogue
     * knows keeps its documented access ({@code auditlogs:write} stays refused).
     *
     * @throws ZendeskInputException naming {@code field} when the text is not such a scope
     */
    static Scope parseVouched(String text, String field) {
        Scope scope = parseWellFormed(text, field);
        if (!scope.isCatalogued() && scope.resource != null && ScopeCatalogue.standard().isResource(scope.resource)) {
            throw new ZendeskInputException(field, "'" + scope + "' is not allowed: " + scope.resource + " is "
                    + (scope.access == Access.WRITE ? "read-only" : "write-only") + ". " + validValues());
        }
        return scope;
    }

    private static Scope parseWellFormed(String text, String field) {
        InputLimits.require(text, InputLimits.SCOPE, field, "a scope");
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("chat")) {
            throw new ZendeskInputException(field, "'chat' is a Zendesk Chat API scope; Chat tokens use their own OAuth flow and "
                    + "cannot be minted here. " + validValues());
        }
        if (!ScopeCatalogue.isWellFormed(s)) {
            throw new ZendeskInputException(field, "unknown scope '" + (text == null ? "" : text.trim()) + "'" + suggestion(s) + ". "
                    + validValues());
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new Scope(null, Access.valueOf(s.toUpperCase(Locale.ROOT)));
        }
        return new Scope(s.substring(0, colon), s.endsWith(":read") ? Access.READ : Access.WRITE);
    }

    /** Whether the {@link ScopeCatalogue} knows this scope. */
    boolean isCatalogued() {
        return ScopeCatalogue.standard().contains(toString());
    }

    /** Every catalogued scope, in the catalogue's order. */
    static List<String> allValid() {
        return ScopeCatalogue.standard().all();
    }

    private static String validValues() {
        return "Valid scopes: " + ScopeCatalogue.standard().summary();
    }

    private static String suggestion(String s) {
        return ScopeCatalogue.standard().closest(s).map(candidate -> " (did you mean '" + candidate + "'?)").orElse("");
    }

    /**
     * Whether a token limited to {@code granted} may carry this scope: {@code tickets:read} is
     * within {@code read}; {@code read} is not within {@code tickets:read}; {@code write} does not
     * imply {@code read}.
     */
    boolean isWithin(Set<Scope> granted) {
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
