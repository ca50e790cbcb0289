package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One OAuth token as the emulated Zendesk stores it: minted through
 * {@code POST /api/v2/oauth/tokens.json} or {@link ZendeskEmulator#mintExternally}.
 * Immutable snapshot; revocation produces a new snapshot with {@code revoked == true}.
 *
 * @param id        the token id (what {@code DELETE /api/v2/oauth/tokens/{id}.json} takes)
 * @param fullToken the 64-hex-character secret (the {@code full_token} of the mint answer)
 * @param clientId  the OAuth client id the token belongs to
 * @param userId    the user the token acts as (the admin who minted it)
 * @param scopes    the granted scopes, in request order, without duplicates
 * @param createdAt creation time, truncated to seconds
 * @param expiresAt expiry time, or {@code null} when the token never expires
 * @param revoked   whether the token has been revoked (deleted)
 */
public record IssuedToken(
        long id,
        String fullToken,
        long clientId,
        long userId,
        List<String> scopes,
        Instant createdAt,
        Instant expiresAt,
        boolean revoked) {

    /** Length of the public prefix Zendesk shows as {@code token} in listings. */
    public static final int PREFIX_LENGTH = 10;

    public IssuedToken {
        Objects.requireNonNull(fullToken, "fullToken");
        Objects.requireNonNull(createdAt, "createdAt");
        scopes = List.copyOf(scopes);
    }

    /** The first {@value #PREFIX_LENGTH} characters of the secret: the {@code token} field of the API. */
    public String tokenPrefix() {
        return fullToken.substring(0, Math.min(PREFIX_LENGTH, fullToken.length()));
    }

    /** Whether the token still exists at Zendesk (not revoked; expiry does not matter here). */
    public boolean live() {
        return !revoked;
    }

    /** Whether the token has an expiry that is not after {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    IssuedToken asRevoked() {
        return new IssuedToken(id, fullToken, clientId, userId, scopes, createdAt, expiresAt, true);
    }
}
