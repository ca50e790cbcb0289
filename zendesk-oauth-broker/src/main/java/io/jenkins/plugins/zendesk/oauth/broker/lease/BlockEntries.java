package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** A block's generations as the ledger holds them, for a resume or an end without the lease in memory. */
final class BlockEntries {
    /** Block ids are entry ids (UUIDs); anything much longer is not one. */
    static final int MAX_BLOCK_ID_LENGTH = 100;
    /** Allowance for the clock difference between Jenkins and Zendesk when judging a recorded expiry. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(2);

    private BlockEntries() {
    }

    /**
     * The block's entries, oldest generation first.
     *
     * @throws ZendeskInputException when the block id is malformed, or its entries belong to another site or owner
     */
    static List<LedgerEntry> of(LeaseLedger ledger, ZendeskSite site, String blockId, String owner) {
        if (blockId == null || blockId.isBlank() || blockId.length() > MAX_BLOCK_ID_LENGTH) {
            throw new ZendeskInputException("blockId", "not a block id; pass RenewingLease.blockId() of the block's lease");
        }
        List<LedgerEntry> block = ledger.entries().stream().filter(e -> e.blockId().equals(blockId))
                .sorted(Comparator.comparingInt(LedgerEntry::generation)).toList();
        for (LedgerEntry entry : block) {
            if (!entry.site().equals(site.toString()) || !entry.owner().equals(owner)) {
                throw new ZendeskInputException("blockId", "block " + blockId + " belongs to another site or owner; its tokens are left alone");
            }
        }
        return block;
    }

    /** The grace of a generation found in the ledger: as a live lease's, from its recorded lifetime; a minute without one. */
    static Duration grace(LedgerEntry entry) {
        if (entry.mintedAt().isEmpty() || entry.expiresAt().isEmpty()) {
            return RenewalTiming.MAX_GRACE;
        }
        Duration sixth = Duration.between(entry.mintedAt().get(), entry.expiresAt().get()).dividedBy(6);
        return sixth.isNegative() ? Duration.ZERO : sixth.compareTo(RenewalTiming.MAX_GRACE) < 0 ? sixth : RenewalTiming.MAX_GRACE;
    }

    /** A generation found in the ledger (its value is gone), to retire at {@code retireAt}. */
    static RenewingLease.Superseded superseded(LedgerEntry entry, Instant retireAt) {
        Instant expired = entry.expiresAt().map(at -> at.plus(EXPIRY_MARGIN)).orElse(null);
        return new RenewingLease.Superseded(entry.generation(), entry.id(), entry.tokenId().orElseThrow(), null, expired, retireAt);
    }
}
