package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ControlTokenListener;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ControlTokens;
import java.time.Duration;
import java.util.Optional;

/** Turns the transport's control token grants and revocations into {@link LeaseEvent}s. */
final class ControlTokenEvents implements ControlTokenListener {
    private final LeaseListener listener;

    ControlTokenEvents(LeaseListener listener) {
        this.listener = listener;
    }

    @Override
    public void granted(String origin, String client, ControlTokens.ControlToken token, Duration took) {
        site(origin).ifPresent(site -> listener.on(new LeaseEvent.ControlGranted(site, token.id().orElse(0L), client, token.expiresAt(), took)));
    }

    @Override
    public void revoked(String origin, String client, ControlTokens.ControlToken token, String reason, Duration took, Optional<String> error) {
        site(origin).ifPresent(site -> listener.on(new LeaseEvent.ControlRevoked(site, token.id().orElse(0L), client, reason, took, error)));
    }

    /** The origin came from a parsed site, so it parses again; the host was checked when the call was made. */
    private static Optional<ZendeskSite> site(String origin) {
        try {
            return Optional.of(ZendeskSite.parse(origin, ZendeskSite.HostPolicy.ANY_HOST));
        } catch (ZendeskException unexpected) {
            return Optional.empty();
        }
    }
}
