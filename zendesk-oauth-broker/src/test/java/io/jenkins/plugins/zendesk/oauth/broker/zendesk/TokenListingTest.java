package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.ADMIN_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing a client's tokens the way Zendesk pages them in 2026: by cursor, live tokens only. */
class TokenListingTest {
    private EmulatedZendesk env;
    private ZendeskAdminApi api;

    @BeforeEach
    void startZendesk() {
        env = new EmulatedZendesk();
        api = env.api(EmulatedZendesk.transport(POLICY, new RecordingSleeper()));
    }

    @AfterEach
    void stopZendesk() {
        env.zendesk.issuedTokens().forEach(t -> env.zendesk.revokeExternally(t.id()));
        assertThat(env.zendesk.liveTokenCount()).isZero();
        env.close();
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
    }

    @Test
    void expiredTokensAreNotListedAndNeedNoRevocation() {
        Instant now = env.zendesk.now();
        IssuedToken live = env.zendesk.mintExternally(CLIENT_ID, ADMIN_ID, List.of("read"), now, now.plus(Duration.ofMinutes(30)));
        env.zendesk.mintExternally(CLIENT_ID, ADMIN_ID, List.of("read"), now, now.plus(Duration.ofMinutes(5)));
        env.zendesk.advanceClock(Duration.ofMinutes(10));

        assertThat(api.listTokens(CLIENT_ID)).extracting(IssuedTokenInfo::id).containsExactly(live.id());
    }
}
