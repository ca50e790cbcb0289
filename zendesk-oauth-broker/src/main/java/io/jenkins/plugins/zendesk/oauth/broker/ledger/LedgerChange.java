package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One change on its way to the disk; {@code next == null} removes the entry. It carries its
 * journal record already encoded, and {@code previous} so that a failed write can be undone in
 * memory.
 */
record LedgerChange(String entryId, LedgerEntry previous, LedgerEntry next, boolean awaited, byte[] record,
                    CompletableFuture<LedgerEntry> done) {

    /** Puts {@code entry} under {@code entryId}, or removes {@code entryId} when {@code entry} is null. */
    static void put(Map<String, LedgerEntry> map, String entryId, LedgerEntry entry) {
        if (entry == null) {
            map.remove(entryId);
        } else {
            map.put(entryId, entry);
        }
    }
}
