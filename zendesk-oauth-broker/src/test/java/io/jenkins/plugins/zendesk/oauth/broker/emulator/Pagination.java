package io.jenkins.plugins.zendesk.oauth.broker.emulator;

/**
 * Which pagination style {@code GET /api/v2/oauth/clients.json} answers with; see
 * {@link ZendeskEmulator#clientsPagination(Pagination)}.
 */
public enum Pagination {
    /**
     * Cursor pagination (the default): request {@code page[size]} (1..100, default 100) and
     * {@code page[after]} / {@code page[before]}; the answer carries
     * {@code meta.has_more}, {@code meta.after_cursor}, {@code meta.before_cursor} and
     * {@code links.next} / {@code links.prev} (full URLs, or {@code null}).
     */
    CURSOR,
    /**
     * Offset pagination: request {@code per_page} (default 100, at most 100) and {@code page}
     * (from 1); the answer carries {@code next_page} / {@code previous_page} (full URLs, or
     * {@code null}) and {@code count}.
     */
    OFFSET
}
