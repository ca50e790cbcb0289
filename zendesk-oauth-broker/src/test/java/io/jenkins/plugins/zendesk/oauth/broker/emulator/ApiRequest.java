package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the emulated Zendesk sees it, independent of WireMock.
 *
 * @param method        upper-case HTTP method
 * @param path          raw path, without query string
 * @param query         decoded query parameters, in order of appearance
 * @param authorization the {@code Authorization} header, if any
 * @param body          the body as text (empty when none)
 * @param contentType   the {@code Content-Type} header, if any
 */
record ApiRequest(String method, String path, Map<String, List<String>> query, Optional<String> authorization,
        String body, Optional<String> contentType) {

    ApiRequest {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    /** Builds a request from its method, its URL (path plus optional raw query) and its headers. */
    static ApiRequest of(String method, String url, String authorization, String body, String contentType) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        Map<String, List<String>> query = q < 0 ? Map.of() : parseQuery(url.substring(q + 1));
        return new ApiRequest(method.toUpperCase(Locale.ROOT), path, query,
                Optional.ofNullable(authorization).filter(a -> !a.isBlank()), body == null ? "" : body,
                Optional.ofNullable(contentType).filter(c -> !c.isBlank()));
    }

    /** Whether the body is declared {@code application/x-www-form-urlencoded} (parameters ignored). */
    boolean isFormEncoded() {
        return contentType.map(c -> c.toLowerCase(Locale.ROOT).trim())
                .filter(c -> c.startsWith("application/x-www-form-urlencoded")).isPresent();
    }

    /** The body parsed as {@code application/x-www-form-urlencoded}: decoded names to values, in order. */
    Map<String, List<String>> formBody() {
        return parseQuery(body);
    }

    /** The first value of query parameter {@code name} (decoded name, e.g. {@code page[size]}). */
    Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            // URLDecoder also turns '+' into a space, as form encoding (and so "scope=read+write") needs
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }
}
