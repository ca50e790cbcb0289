package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One token that may be live. Holds ids, scopes and times only: never the token value nor any
 * admin secret. Build or change one with {@link #builder()} / {@link #toBuilder()}: a new field
 * then means one component, one builder setter and its codec lines, not every constructor call.
 *
 * @param id          ledger-local id of this entry
 * @param site        the Zendesk site origin, e.g. {@code https://acme.zendesk.com}
 * @param clientId    the OAuth client the token was minted with
 * @param tokenId     Zendesk's token id; empty while the mint is in flight or its outcome is unknown
 * @param owner       who minted it, e.g. a Jenkins run id {@code folder/job#42}
 * @param authority   opaque key the host uses to find the admin credential again (e.g. a credentials id)
 * @param scopes      the scopes requested
 * @param intentAt    when the intent was recorded, just before the mint request left
 * @param mintedAt    when Zendesk created the token, if known
 * @param expiresAt   when Zendesk expires the token on its own, if it said so in the mint answer
 * @param state       see {@link State}
 * @param failures    failed revoke or reconcile attempts so far
 * @param lastError   the last failure's message (no secrets), if any
 * @param nextAttempt earliest time the sweeper should try again
 * @param blockId     links the generations of one block's renewed token: the entry id of its first
 *                    generation (a lease that is never renewed, and every entry written before
 *                    renewal existed, is a block of its own: {@code blockId == id})
 * @param generation  1 for a block's first token, one more per renewal
 */
public record LedgerEntry(String id, String site, long clientId, Optional<Long> tokenId, String owner, String authority,
                          List<String> scopes, Instant intentAt, Optional<Instant> mintedAt, Optional<Instant> expiresAt, State state,
                          int failures, Optional<String> lastError, Instant nextAttempt, String blockId, int generation) {

    /** Where the entry stands. */
    public enum State {
        /** Written before the mint request; the token id is not known yet. */
        MINTING,
        /** The mint's outcome is unknown (timeout, crash, 5xx): reconciliation must find the token, if any. */
        UNCERTAIN,
        /** Minted and handed to its owner, which will revoke it when done. */
        LIVE,
        /** Revocation failed or the owner is gone: the sweeper must revoke it. */
        REVOKE_PENDING
    }

    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(intentAt, "intentAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        scopes = List.copyOf(scopes);
        tokenId = tokenId == null ? Optional.empty() : tokenId;
        mintedAt = mintedAt == null ? Optional.empty() : mintedAt;
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
        lastError = lastError == null ? Optional.empty() : lastError;
        blockId = blockId == null ? id : blockId;
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1");
        }
    }

    /** An empty builder: generation 1, state {@code MINTING}, no failures; the block defaults to the entry's own id. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this entry's fields. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether Zendesk has certainly expired the token by {@code now}, allowing {@code margin} for clock differences. */
    public boolean expiredBy(Instant now, Duration margin) {
        return tokenId.isPresent() && expiresAt.isPresent() && expiresAt.get().plus(margin).isBefore(now);
    }

    LedgerEntry withMinted(long token, Instant created, Optional<Instant> expires) {
        return toBuilder().tokenId(token).mintedAt(created).expiresAt(expires).state(State.LIVE).build();
    }

    LedgerEntry withFailure(State newState, String error, Instant retryAt) {
        return toBuilder().state(newState).failures(failures + 1).lastError(Optional.ofNullable(error)).nextAttempt(retryAt).build();
    }

    LedgerEntry withState(State newState) {
        return toBuilder().state(newState).build();
    }

    /** Builds a {@link LedgerEntry}; not thread-safe. */
    public static final class Builder {
        private String id;
        private String site;
        private long clientId;
        private Optional<Long> tokenId = Optional.empty();
        private String owner;
        private String authority;
        private List<String> scopes = List.of();
        private Instant intentAt;
        private Optional<Instant> mintedAt = Optional.empty();
        private Optional<Instant> expiresAt = Optional.empty();
        private State state = State.MINTING;
        private int failures;
        private Optional<String> lastError = Optional.empty();
        private Instant nextAttempt;
        private String blockId;
        private int generation = 1;

        private Builder() {
        }

        private Builder(LedgerEntry e) {
            id = e.id;
            site = e.site;
            clientId = e.clientId;
            tokenId = e.tokenId;
            owner = e.owner;
            authority = e.authority;
            scopes = e.scopes;
            intentAt = e.intentAt;
            mintedAt = e.mintedAt;
            expiresAt = e.expiresAt;
            state = e.state;
            failures = e.failures;
            lastError = e.lastError;
            nextAttempt = e.nextAttempt;
            blockId = e.blockId;
            generation = e.generation;
        }

        /** A builder with the same fields, independent of this one. */
        public Builder copy() {
            Builder b = new Builder();
            b.id = id;
            b.site = site;
            b.clientId = clientId;
            b.tokenId = tokenId;
            b.owner = owner;
            b.authority = authority;
            b.scopes = scopes;
            b.intentAt = intentAt;
            b.mintedAt = mintedAt;
            b.expiresAt = expiresAt;
            b.state = state;
            b.failures = failures;
            b.lastError = lastError;
            b.nextAttempt = nextAttempt;
            b.blockId = blockId;
            b.generation = generation;
            return b;
        }

        public Builder id(String value) {
            id = value;
            return this;
        }

        public Builder site(String value) {
            site = value;
            return this;
        }

        public Builder clientId(long value) {
            clientId = value;
            return this;
        }

        public Builder tokenId(long value) {
            tokenId = Optional.of(value);
            return this;
        }

        public Builder tokenId(Optional<Long> value) {
            tokenId = value;
            return this;
        }

        public Builder owner(String value) {
            owner = value;
            return this;
        }

        public Builder authority(String value) {
            authority = value;
            return this;
        }

        public Builder scopes(List<String> value) {
            scopes = value;
            return this;
        }

        public Builder intentAt(Instant value) {
            intentAt = value;
            return this;
        }

        public Builder mintedAt(Instant value) {
            mintedAt = Optional.of(value);
            return this;
        }

        public Builder mintedAt(Optional<Instant> value) {
            mintedAt = value;
            return this;
        }

        public Builder expiresAt(Optional<Instant> value) {
            expiresAt = value;
            return this;
        }

        public Builder state(State value) {
            state = value;
            return this;
        }

        public Builder failures(int value) {
            failures = value;
            return this;
        }

        public Builder lastError(Optional<String> value) {
            lastError = value;
            return this;
        }

        public Builder nextAttempt(Instant value) {
            nextAttempt = value;
            return this;
        }

        /** The block this entry belongs to; null (the default) for a block of its own ({@code blockId == id}). */
        public Builder blockId(String value) {
            blockId = value;
            return this;
        }

        public Builder generation(int value) {
            generation = value;
            return this;
        }

        public LedgerEntry build() {
            return new LedgerEntry(id, site, clientId, tokenId, owner, authority, scopes, intentAt, mintedAt, expiresAt, state, failures,
                    lastError, nextAttempt, blockId, generation);
        }
    }
}
