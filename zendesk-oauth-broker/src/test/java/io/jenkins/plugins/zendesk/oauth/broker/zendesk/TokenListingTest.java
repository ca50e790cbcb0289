package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.ADMIN_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing a client's tokens the way Zendesk pages them in 2026: by cursor, live tokens only. */
class TokenListingTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(EmulatedZendesk::startEmulator);
    private EmulatedZendesk env;
    private ZendeskAdminApi api;

    @BeforeEach
    void wire() {
        env = new EmulatedZendesk(zendesk.emulator());
        api = env.api(EmulatedZendesk.transport(POLICY, new RecordingSleeper()));
    }

    @Test
    void pagesByCursorPastTheHundredPagesOffsetPaginationAllows() {
        // 10,050 tokens would be needed to pass page 100 with per_page=100; the emulator answers 400 there as
        // Zendesk does. Cursor pages are asked for with page[size]=100 and followed by links.next.
        List<Long> minted = new ArrayList<>();
        Instant now = env.zendesk.now();
        for (int i = 0; i < 250; i++) {
            minted.add(env.zendesk.mintExternally(CLIENT_ID, ADMIN_ID, List.of("read"), now).id());
        }

        assertThat(api.listTokens(CLIENT_ID)).extracting(IssuedTokenInfo::id).containsExactlyElementsOf(minted);
        assertThat(env.zendesk.requestCount("GET", "/api/v2/oauth/tokens")).isEqualTo(3);
        minted.forEach(env.zendesk::revokeExternally); // minted only to be listed
    }

    @Test
    void expiredTokensAreNotListedAndNeedNoRevocation() {
        Instant now = env.zendesk.now();
        IssuedToken live = env.zendesk.mintExternally(CLIENT_ID, ADMIN_ID, List.of("read"), now, now.plus(Duration.ofMinutes(30)));
        IssuedToken expired = env.zendesk.mintExternally(CLIENT_ID, ADMIN_ID, List.of("read"), now, now.plus(Duration.ofMinutes(5)));
        env.zendesk.advanceClock(Duration.ofMinutes(10));

        assertThat(api.listTokens(CLIENT_ID)).extracting(IssuedTokenInfo::id).containsExactly(live.id());
        // Minted only to be listed; an expired token counts as live until it is revoked.
        env.zendesk.revokeExternally(live.id());
        env.zendesk.revokeExternally(expired.id());
    }
}
