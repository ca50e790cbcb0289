package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Zendesk's two pagination styles for list endpoints (Zendesk's Pagination guide): cursor pages
 * ({@code page[size]} up to 100, {@code page[after]} / {@code page[before]}, {@code meta.has_more},
 * {@code links.next}) and offset pages ({@code per_page} up to 100, {@code page}, {@code next_page}).
 */
final class Pages {
    static final int MAX_PAGE_SIZE = 100;

    private final Supplier<String> baseUrl;

    Pages(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Cursor pagination over {@code items} sorted by ascending id (Zendesk's Pagination guide, cursor pagination). */
    <T> ApiResponse cursor(ApiRequest request, String key, List<T> items, ToLongFunction<T> idOf, Function<T, ObjectNode> toJson) {
        Optional<String> sizeParam = request.param("page[size]");
        OptionalLong size = sizeParam.map(ZendeskApi::parseLong).orElse(OptionalLong.of(MAX_PAGE_SIZE));
        if (size.isEmpty() || size.getAsLong() < 1 || size.getAsLong() > MAX_PAGE_SIZE) {
            return ApiResponse.error(400, "InvalidPaginationParameter",
                    "page[size] must be an integer between 1 and " + MAX_PAGE_SIZE);
        }
        Optional<String> after = request.param("page[after]");
        Optional<String> before = request.param("page[before]");
        OptionalLong afterId = after.map(c -> decodeCursor(key, c)).orElse(OptionalLong.of(Long.MIN_VALUE));
        OptionalLong beforeId = before.map(c -> decodeCursor(key, c)).orElse(OptionalLong.of(Long.MAX_VALUE));
        if (afterId.isEmpty() || beforeId.isEmpty()) {
            return ApiResponse.error(400, "InvalidPaginationParameter", "page[after] / page[before] cursor is invalid");
        }
        List<T> window = items.stream()
                .filter(c -> idOf.applyAsLong(c) > afterId.getAsLong() && idOf.applyAsLong(c) < beforeId.getAsLong()).toList();
        int pageSize = (int) size.getAsLong();
        List<T> page = before.isPresent() && after.isEmpty()
                ? window.subList(Math.max(0, window.size() - pageSize), window.size())
                : window.subList(0, Math.min(pageSize, window.size()));
        Optional<Long> firstId = page.isEmpty() ? Optional.empty() : Optional.of(idOf.applyAsLong(page.get(0)));
        Optional<Long> lastId = page.isEmpty() ? Optional.empty() : Optional.of(idOf.applyAsLong(page.get(page.size() - 1)));
        boolean moreAfter = lastId.isPresent() && items.stream().anyMatch(c -> idOf.applyAsLong(c) > lastId.get());
        boolean moreBefore = firstId.isPresent() && items.stream().anyMatch(c -> idOf.applyAsLong(c) < firstId.get());

        ObjectNode body = ApiResponse.MAPPER.createObjectNode();
        ArrayNode array = body.putArray(key);
        page.forEach(item -> array.add(toJson.apply(item)));
        ObjectNode meta = body.putObject("meta");
        meta.put("has_more", before.isPresent() && after.isEmpty() ? moreBefore : moreAfter);
        meta.put("after_cursor", lastId.map(id -> encodeCursor(key, id)).orElse(null));
        meta.put("before_cursor", firstId.map(id -> encodeCursor(key, id)).orElse(null));
        ObjectNode links = body.putObject("links");
        links.put("next", moreAfter ? cursorLink(request, pageSize, "page[after]", encodeCursor(key, lastId.get())) : null);
        links.put("prev", moreBefore ? cursorLink(request, pageSize, "page[before]", encodeCursor(key, firstId.get())) : null);
        return ApiResponse.json(200, body);
    }

    private String cursorLink(ApiRequest request, int pageSize, String direction, String cursor) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(direction, cursor);
        params.put("page[size]", Integer.toString(pageSize));
        return link(request, params, Set.of("page[after]", "page[before]", "page[size]"));
    }

    private static String encodeCursor(String key, long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((key + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static OptionalLong decodeCursor(String key, String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return text.startsWith(key + ":") ? ZendeskApi.parseLong(text.substring(key.length() + 1)) : OptionalLong.empty();
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    <T> ApiResponse offset(ApiRequest request, String key, List<T> items, Function<T, ObjectNode> toJson) {
        long perPage = Math.max(1, Math.min(MAX_PAGE_SIZE, intParam(request, "per_page", MAX_PAGE_SIZE)));
        long page = Math.max(1, intParam(request, "page", 1));
        int from = (int) Math.min(items.size(), (page - 1) * perPage);
        int to = (int) Math.min(items.size(), from + perPage);
        ObjectNode body = ApiResponse.MAPPER.createObjectNode();
        ArrayNode array = body.putArray(key);
        items.subList(from, to).forEach(item -> array.add(toJson.apply(item)));
        body.put("next_page", to < items.size() ? pageLink(request, page + 1) : null);
        body.put("previous_page", page > 1 ? pageLink(request, page - 1) : null);
        body.put("count", items.size());
        return ApiResponse.json(200, body);
    }

    private String pageLink(ApiRequest request, long page) {
        return link(request, Map.of("page", Long.toString(page)), Set.of("page"));
    }

    /** A full URL to the same path with the query minus {@code drop}, plus {@code add}. */
    private String link(ApiRequest request, Map<String, String> add, Set<String> drop) {
        List<String> pairs = new ArrayList<>();
        request.query().forEach((name, values) -> {
            if (!drop.contains(name)) {
                values.forEach(value -> pairs.add(encode(name) + "=" + encode(value)));
            }
        });
        add.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        return baseUrl.get() + request.path() + "?" + String.join("&", pairs);
    }

    static long intParam(ApiRequest request, String name, long fallback) {
        return request.param(name).map(ZendeskApi::parseLong).orElse(OptionalLong.empty()).orElse(fallback);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
