package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintedToken;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One minted token, owned by one block. Closing revokes it; closing again, from any thread,
 * returns the same outcome without another call.
 */
public final class TokenLease implements AutoCloseable {
    private final TokenBroker broker;
    private final ZendeskSite site;
    private final AdminAuth auth;
    private final String owner;
    private final String entryId;
    private final MintedToken token;
    private final Duration mintTook;
    private final AtomicBoolean revoking = new AtomicBoolean();
    private final CompletableFuture<RevocationOutcome> outcome = new CompletableFuture<>();

    TokenLease(TokenBroker broker, ZendeskSite site, AdminAuth auth, String owner, String entryId, MintedToken token, Duration mintTook) {
        this.broker = broker;
        this.site = site;
        this.auth = auth;
        this.owner = owner;
        this.entryId = entryId;
        this.token = token;
        this.mintTook = mintTook;
    }

    public MintedToken token() {
        return token;
    }

    public ZendeskSite site() {
        return site;
    }

    /** The ledger entry recording this token: what a host keeps to revoke after a restart. */
    public String entryId() {
        return entryId;
    }

    public Duration mintTook() {
        return mintTook;
    }

    /** Revokes the token once; concurrent and later calls wait for and share that outcome. */
    public RevocationOutcome revoke() {
        if (revoking.compareAndSet(false, true)) {
            try {
                outcome.complete(broker.revoke(site, auth, token.id(), entryId, owner));
            } catch (RuntimeException | Error unexpected) {
                outcome.completeExceptionally(unexpected);
                throw unexpected;
            }
        }
        return outcome.join();
    }

    boolean isRevoked() {
        return outcome.isDone() && !outcome.isCompletedExceptionally() && outcome.join().revoked();
    }

    @Override
    public void close() {
        revoke();
    }

    @Override
    public String toString() {
        return "TokenLease[" + token + ", site=" + site + ", owner=" + owner + "]";
    }
}
