package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@link TokenBroker#resume}: a block's lease rebuilt from the ledger after a controller restart. */
final class Resumption {
    private static final Logger LOGGER = Logger.getLogger(Resumption.class.getName());

    private Resumption() {
    }

    /** The request is valid; see {@link TokenBroker#resume} for what happens. */
    static RenewingLease resume(TokenBroker broker, LeaseRequest request, String blockId, RenewalListener listener,
                                RenewalScheduler renewals) {
        List<LedgerEntry> block = BlockEntries.of(broker.ledger(), request.site(), blockId, request.owner());
        long clientId = broker.clientId(request.site(), request.auth(), request.client());
        List<LedgerEntry> live = block.stream().filter(e -> e.state() == LedgerEntry.State.LIVE && e.tokenId().isPresent()).toList();
        List<RenewingLease.Superseded> inherited = new ArrayList<>();
        // All but the newest go now: with the new generation, at most two are live.
        for (LedgerEntry older : live.subList(0, Math.max(0, live.size() - 1))) {
            RevocationOutcome outcome = broker.revokeSuperseded(request.site(), request.auth(), older.tokenId().get(), older.id(), request.owner());
            if (!outcome.revoked()) {
                inherited.add(BlockEntries.superseded(older, broker.transport().clock().instant())); // retried before any renewal
            }
        }
        for (LedgerEntry unknown : block) {
            if (unknown.tokenId().isEmpty()) {
                settleQuietly(broker, unknown, request); // a renewal cut short by the restart; later renewals wait for it anyway
            }
        }
        int number = block.stream().mapToInt(LedgerEntry::generation).max().orElse(0) + 1;
        TokenGeneration next = broker.mintRecorded(request, clientId, blockId, number);
        Instant returned = broker.transport().clock().instant();
        if (live.isEmpty()) {
            broker.notifyMinted(request, clientId, next);
        } else {
            // The newest keeps a grace period: a process that read it before the restart finishes its requests.
            LedgerEntry newest = live.get(live.size() - 1);
            inherited.add(BlockEntries.superseded(newest, returned.plus(BlockEntries.grace(newest))));
            broker.notifyRenewed(request, clientId, blockId, newest.tokenId().get(), next);
        }
        return new RenewingLease(broker, request, clientId, blockId, next, returned, inherited, listener, renewals).start();
    }

    private static void settleQuietly(TokenBroker broker, LedgerEntry unknown, LeaseRequest request) {
        try {
            broker.settler().settle(unknown, request.site(), request.auth())
                    .ifPresent(reason -> LOGGER.log(Level.FINE, "mint of entry {0} not settled yet: {1}", new Object[] {unknown.id(), reason}));
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "could not settle the mint of entry " + unknown.id(), e);
        }
    }
}
