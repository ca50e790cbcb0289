package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Queries over the audit files, newest first, in pages. Memory holds one page: each day's file is
 * streamed once to count its matches, and once more only if the page takes records from it.
 */
public final class AuditSearch {
    /** The largest page a caller may ask for. */
    public static final int MAX_PAGE = 500;

    private final AuditLog log;

    public AuditSearch(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * One page of matching records, newest first.
     *
     * @param offset how many of the newest matches to skip
     * @param limit  page size, 1 to {@link #MAX_PAGE}
     */
    public Page page(AuditQuery query, int offset, int limit) {
        int size = Math.max(1, Math.min(limit, MAX_PAGE));
        int skip = Math.max(0, offset);
        int wanted = size + 1; // one more than shown tells whether there is a next page
        List<AuditRecord> found = new ArrayList<>();
        List<LocalDate> days = new ArrayList<>(log.days(query));
        Collections.reverse(days);
        for (LocalDate day : days) {
            if (found.size() >= wanted) {
                break;
            }
            int[] count = {0};
            log.read(day, query, r -> {
                count[0]++;
                return true;
            });
            int matches = count[0];
            if (skip >= matches) {
                skip -= matches;
                continue;
            }
            // Newest-first positions [skip, skip + need) are chronological positions [lo, hi].
            int hi = matches - 1 - skip;
            int lo = Math.max(0, hi - (wanted - found.size()) + 1);
            List<AuditRecord> chunk = new ArrayList<>(hi - lo + 1);
            int[] index = {0};
            log.read(day, query, r -> {
                int i = index[0]++;
                if (i >= lo && i <= hi) {
                    chunk.add(r);
                }
                return i < hi;
            });
            Collections.reverse(chunk);
            found.addAll(chunk);
            skip = 0;
        }
        boolean more = found.size() > size;
        return new Page(more ? found.subList(0, size) : found, Math.max(0, offset), more);
    }

    /** Every matching record, oldest first, one at a time: for exports of any size. */
    public void forEach(AuditQuery query, Consumer<AuditRecord> each) {
        for (LocalDate day : log.days(query)) {
            log.read(day, query, r -> {
                each.accept(r);
                return true;
            });
        }
    }

    /**
     * @param records the page, newest first
     * @param offset  how many newer matches came before it
     * @param hasMore whether older matches follow
     */
    public record Page(List<AuditRecord> records, int offset, boolean hasMore) {
        public Page {
            records = List.copyOf(records);
        }
    }
}
