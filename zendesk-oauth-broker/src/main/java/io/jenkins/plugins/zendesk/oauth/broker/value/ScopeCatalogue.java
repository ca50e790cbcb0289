package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Zendesk OAuth scopes the plugin knows, read from one data file ({@code zendesk-scopes.txt} beside
 * this class), each with the source that documents it. Zendesk mints a token even for a scope it does not
 * know, and every request with that token then fails with 403: the catalogue catches typos before the mint.
 * Immutable.
 */
public final class ScopeCatalogue {
    /** Longest scope text looked at; longer input is refused before any comparison. */
    public static final int MAX_SCOPE_LENGTH = 64;
    /** Longest resource name of a well-formed {@code <resource>:<read|write>}. */
    static final int MAX_RESOURCE_LENGTH = 50;
    /** Suggestions are offered within this many single-character edits. */
    private static final int SUGGESTION_DISTANCE = 3;
    private static final String RESOURCE_NAME = "packaged scope catalogue zendesk-scopes.txt";

    private final Map<String, String> sourceOfScope;
    private final Map<String, String> sources;

    private ScopeCatalogue(Map<String, String> sourceOfScope, Map<String, String> sources) {
        this.sourceOfScope = Collections.unmodifiableMap(sourceOfScope);
        this.sources = Collections.unmodifiableMap(sources);
    }

    /** The catalogue packaged with the plugin. */
    public static ScopeCatalogue standard() {
        return Packaged.INSTANCE;
    }

    private static final class Packaged {
        static final ScopeCatalogue INSTANCE = load();

        private static ScopeCatalogue load() {
            try (InputStream in = ScopeCatalogue.class.getResourceAsStream("zendesk-scopes.txt")) {
                if (in == null) {
                    throw new IllegalStateException("the " + RESOURCE_NAME + " is missing from the plugin");
                }
                return read(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE_NAME);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the " + RESOURCE_NAME, e);
            }
        }
    }

    /**
     * Reads a catalogue: {@code @source <key> <text>} lines declare sources, other lines are
     * {@code <scope> <source key>}; {@code #} starts a comment line.
     *
     * @throws IllegalArgumentException naming {@code name} and the line at fault
     */
    static ScopeCatalogue read(Reader text, String name) throws IOException {
        Map<String, String> scopes = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        BufferedReader lines = new BufferedReader(text);
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+", 3);
            if (parts[0].equals("@source") && parts.length == 3) {
                sources.put(parts[1], parts[2]);
            } else if (parts.length == 2 && isWellFormed(parts[0]) && sources.containsKey(parts[1]) && !scopes.containsKey(parts[0])) {
                scopes.put(parts[0], parts[1]);
            } else {
                throw new IllegalArgumentException(name + ", line " + number + ": expected '<scope> <declared source>' or"
                        + " '@source <key> <text>', once per scope");
            }
        }
        return new ScopeCatalogue(scopes, sources);
    }

    /** Whether {@code scope} (normalized: lower case, no spaces) is in the catalogue. */
    public boolean contains(String scope) {
        return sourceOfScope.containsKey(scope);
    }

    /** Every scope, in the catalogue's order. */
    public List<String> all() {
        return List.copyOf(sourceOfScope.keySet());
    }

    /** Where the catalogue has {@code scope} from, e.g. the Zendesk page that documents it. */
    public Optional<String> source(String scope) {
        return Optional.ofNullable(sourceOfScope.get(scope)).map(sources::get);
    }

    /** Whether the catalogue has {@code resource:read} or {@code resource:write}. */
    boolean isResource(String resource) {
        return contains(resource + ":read") || contains(resource + ":write");
    }

    /**
     * {@code read}, {@code write}, {@code impersonate}, and {@code <resource>:read} / {@code <resource>:write}
     * with a resource of 1 to 50 lower-case letters, digits and underscores that starts with a letter.
     */
    public static boolean isWellFormed(String scope) {
        if (scope.equals("read") || scope.equals("write") || scope.equals("impersonate")) {
            return true;
        }
        int colon = scope.indexOf(':');
        if (colon < 1 || colon > MAX_RESOURCE_LENGTH) {
            return false;
        }
        String access = scope.substring(colon + 1);
        return (access.equals("read") || access.equals("write")) && isResourceName(scope.substring(0, colon));
    }

    static boolean isResourceName(String resource) {
        if (resource.isEmpty() || resource.length() > MAX_RESOURCE_LENGTH || resource.charAt(0) < 'a' || resource.charAt(0) > 'z'
                || resource.equals("read") || resource.equals("write") || resource.equals("impersonate")) {
            return false;
        }
        for (int i = 0; i < resource.length(); i++) {
            char c = resource.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The catalogued scope nearest to {@code text} within {@value #SUGGESTION_DISTANCE} edits, if any. Bounded:
     * {@code text} longer than {@value #MAX_SCOPE_LENGTH} gets none, so each comparison is at most 64 by 64.
     */
    public Optional<String> closest(String text) {
        if (text.isEmpty() || text.length() > MAX_SCOPE_LENGTH) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = SUGGESTION_DISTANCE + 1;
        for (String candidate : sourceOfScope.keySet()) {
            int distance = editDistance(candidate, text);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance of two strings of at most {@value #MAX_SCOPE_LENGTH} characters. */
    static int editDistance(String a, String b) {
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
     * The valid values as messages list them: {@code read, write, impersonate, or <resource>:read /
     * <resource>:write for tickets, users, ...; read only: auditlogs:read, ...; write only: ...}.
     */
    public String summary() {
        Set<String> both = new LinkedHashSet<>();
        List<String> readOnly = new ArrayList<>();
        List<String> writeOnly = new ArrayList<>();
        for (String scope : sourceOfScope.keySet()) {
            int colon = scope.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String resource = scope.substring(0, colon);
            boolean read = contains(resource + ":read");
            boolean write = contains(resource + ":write");
            if (read && write) {
                both.add(resource);
            } else if (read) {
                readOnly.add(scope);
            } else {
                writeOnly.add(scope);
            }
        }
        return "read, write, impersonate, or <resource>:read / <resource>:write for " + String.join(", ", both)
                + "; read only: " + String.join(", ", readOnly) + "; write only: " + String.join(", ", writeOnly);
    }
}
