package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A normalized (deduplicated, sorted) set of valid scopes. */
public record ScopeSet(SortedSet<Scope> scopes) {

    public ScopeSet {
        scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
    }

    /**
     * Parses scope strings; blank entries are ignored.
     *
     * @param field the configuration or step field named in errors
     */
    public static ScopeSet parse(Collection<String> texts, String field) {
        SortedSet<Scope> parsed = new TreeSet<>();
        for (String text : texts) {
            // Length first: isBlank would read a megabyte of spaces.
            if (text != null && (text.length() > InputLimits.SCOPE || !text.isBlank())) {
                parsed.add(Scope.parse(text, field));
            }
        }
        return new ScopeSet(parsed);
    }

    /** Parses a space- or comma-separated list, as typed in a form field. */
    public static ScopeSet parse(String text, String field) {
        InputLimits.require(text, InputLimits.SCOPE_LIST, field, "the list of scopes");
        return parse(text == null ? List.of() : Arrays.asList(text.split("[\\s,]+")), field);
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }

    /** The scopes of this set that {@code ceiling} does not cover; empty when all are allowed. */
    public ScopeSet excessOver(ScopeSet ceiling) {
        return new ScopeSet(scopes.stream().filter(s -> !s.isWithin(ceiling.scopes)).collect(Collectors.toCollection(TreeSet::new)));
    }

    /**
     * Checks the request against the credential's ceiling, before anything is sent.
     *
     * @throws ZendeskInputException naming {@code field} and the scopes that exceed the ceiling
     */
    public void requireWithin(ScopeSet ceiling, String field) {
        ScopeSet excess = excessOver(ceiling);
        if (!excess.isEmpty()) {
            throw new ZendeskInputException(field, "scopes " + excess + " exceed the credential's allowed scopes " + ceiling
                    + "; ask for fewer scopes or have a Jenkins admin widen the credential's allowed scopes");
        }
    }

    /** The scopes as Zendesk expects them, e.g. {@code ["tickets:read", "users:read"]}. */
    public List<String> asStrings() {
        return scopes.stream().map(Scope::toString).toList();
    }

    @Override
    public String toString() {
        return String.join(" ", asStrings());
    }
}
