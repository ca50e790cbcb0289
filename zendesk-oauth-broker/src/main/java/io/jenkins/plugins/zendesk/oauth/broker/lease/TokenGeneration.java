package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintedToken;
import java.time.Duration;
import java.util.Objects;

/**
 * One generation of a block's token. {@link #toString()} never shows the value.
 *
 * @param number   1 for the block's first token, then one more per renewal (also across a resume)
 * @param entryId  the ledger entry recording this token
 * @param token    the token; its value is the only copy
 * @param mintTook how long the mint took, retries included
 */
public record TokenGeneration(int number, String entryId, MintedToken token, Duration mintTook) {

    public TokenGeneration {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(mintTook, "mintTook");
        if (number < 1) {
            throw new IllegalArgumentException("generation numbers start at 1");
        }
    }

    @Override
    public String toString() {
        return "TokenGeneration[number=" + number + ", entryId=" + entryId + ", " + token + ", mintTook=" + mintTook + "]";
    }
}
