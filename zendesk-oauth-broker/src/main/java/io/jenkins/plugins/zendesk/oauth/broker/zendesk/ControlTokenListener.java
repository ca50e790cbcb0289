package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Duration;
import java.util.Optional;

/** Hears of each control token granted and revoked (the audit trail). Called on the working thread; must not throw. */
public interface ControlTokenListener {

    /** @param client the OAuth client's unique identifier */
    void granted(String origin, String client, ControlTokens.ControlToken token, Duration took);

    /** @param error present when the revocation failed (the token then expires by itself) */
    void revoked(String origin, String client, ControlTokens.ControlToken token, String reason, Duration took, Optional<String> error);
}
