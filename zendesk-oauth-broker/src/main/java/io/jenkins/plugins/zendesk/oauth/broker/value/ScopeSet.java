package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A normalized (deduplicated, sorted) set of valid scopes. */
public record ScopeSet(SortedSet<Scope> scopes) {

    public ScopeSet {
        scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
    }

    /** Most scopes one list may hold: the catalogue has about 60, a list is refused long before it costs anything. */
    static final int MAX_SCOPES = 200;

    /**
     * Parses catalogued scope strings; blank entries are ignored.
     *
     * @param field the configuration or step field named in errors
     */
    public static ScopeSet parse(Collection<String> texts, String field) {
        return parseEach(texts, field, Set.of());
    }

    /** Parses a space- or comma-separated list of catalogued scopes, as typed in a form field. */
    public static ScopeSet parse(String text, String field) {
        return parse(split(text, field), field);
    }

    /**
     * Parses requested scopes: catalogued ones, and well-formed ones the catalogue does not know when
     * {@code allowed} (the credential's allowed scopes) names them explicitly.
     */
    public static ScopeSet parse(Collection<String> texts, String field, ScopeSet allowed) {
        return parseEach(texts, field, allowed.uncatalogued().scopes);
    }

    /** Like {@link #parse(Collection, String, ScopeSet)}, from a space- or comma-separated list. */
    public static ScopeSet parse(String text, String field, ScopeSet allowed) {
        return parse(split(text, field), field, allowed);
    }

    /**
     * Parses a credential's allowed scopes, where an admin vouches for what is listed: any well-formed
     * scope, catalogued or not.
     */
    public static ScopeSet parseAllowed(String text, String field) {
        return parseAllowed(split(text, field), field);
    }

    /** Like {@link #parseAllowed(String, String)}, from separate strings. */
    public static ScopeSet parseAllowed(Collection<String> texts, String field) {
        return parseEach(texts, field, null);
    }

    /** @param vouched scopes accepted though the catalogue does not know them; null for every well-formed scope */
    private static ScopeSet parseEach(Collection<String> texts, String field, Set<Scope> vouched) {
        if (texts.size() > MAX_SCOPES) {
            throw new ZendeskInputException(field, texts.size() + " scopes are more than the " + MAX_SCOPES + " accepted in one list");
        }
        SortedSet<Scope> parsed = new TreeSet<>();
        for (String text : texts) {
            // Length first: isBlank would read a megabyte of spaces.
            if (text != null && (text.length() > InputLimits.SCOPE || !text.isBlank())) {
                parsed.add(vouched == null ? Scope.parseVouched(text, field) : Scope.parse(text, field, vouched));
            }
        }
        return new ScopeSet(parsed);
    }

    private static List<String> split(String text, String field) {
        InputLimits.require(text, InputLimits.SCOPE_LIST, field, "the list of scopes");
        if (text == null) {
            return List.of();
        }
        return Arrays.asList(text.split("[\\s,]+"));
    }

    /** The scopes of this set that the {@link ScopeCatalogue} does not know (allowed because an admin vouched for them). */
    public ScopeSet uncatalogued() {
        return new ScopeSet(scopes.stream().filter(s -> !s.isCatalogued()).collect(Collectors.toCollection(TreeSet::new)));
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }

    /** The scopes of this set that {@code ceiling} does not cover; empty when all are allowed. */
    ScopeSet excessOver(ScopeSet ceiling) {
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
