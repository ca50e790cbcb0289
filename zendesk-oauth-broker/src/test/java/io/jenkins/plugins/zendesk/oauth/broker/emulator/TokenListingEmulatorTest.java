package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/v2/oauth/tokens.json} as Zendesk answers it: cursor pages, offset pages up to 100, expired tokens hidden. */
class TokenListingEmulatorTest {
    private static final long ADMIN_ID = 1;
    private static final long CLIENT_ID = 50328;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin@example.com/token:admin-api-token".getBytes(StandardCharsets.UTF_8));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(() -> ZendeskEmulator.start()
                    .admin(ADMIN_ID, "admin@example.com", "admin-api-token").client(CLIENT_ID, "jenkins"))
            // These tests list tokens the emulator keeps live on purpose.
            .releasingWith(ZendeskEmulatorExtension::revokeAllExternally);

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", ADMIN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_status", response.statusCode());
        return body;
    }

    private List<Long> mint(int count, Instant expiresAt) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(zendesk.emulator().mintExternally(CLIENT_ID, ADMIN_ID, List.of("read"), zendesk.emulator().now(), expiresAt).id());
        }
        return ids;
    }

    @Test
    void cursorPagesFollowLinksNextUntilHasMoreIsFalse() throws Exception {
        List<Long> minted = mint(5, null);

        List<Long> listed = new ArrayList<>();
        String url = zendesk.emulator().baseUrl() + "/api/v2/oauth/tokens.json?client_id=" + CLIENT_ID + "&page%5Bsize%5D=2";
        int pages = 0;
        while (url != null) {
            JsonNode page = get(url);
            pages++;
            assertThat(page.get("_status").asInt()).isEqualTo(200);
            page.get("tokens").forEach(t -> listed.add(t.get("id").asLong()));
            assertThat(page.get("tokens").get(0).has("full_token")).isFalse();
            url = page.at("/meta/has_more").asBoolean() ? page.at("/links/next").asText() : null;
        }

        assertThat(listed).containsExactlyElementsOf(minted);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void expiredTokensAreListedOnlyWithIncludeExpired() throws Exception {
        List<Long> lasting = mint(1, null);
        List<Long> expiring = mint(1, zendesk.emulator().now().plus(Duration.ofMinutes(5)));
        zendesk.emulator().advanceClock(Duration.ofMinutes(6));
        String base = zendesk.emulator().baseUrl() + "/api/v2/oauth/tokens.json?client_id=" + CLIENT_ID + "&page%5Bsize%5D=100";

        assertThat(get(base).get("tokens")).extracting(t -> t.get("id").asLong()).containsExactlyElementsOf(lasting);
        assertThat(get(base + "&include_expired=true").get("tokens")).extracting(t -> t.get("id").asLong())
                .containsExactly(lasting.get(0), expiring.get(0));
        assertThat(zendesk.emulator().liveTokenCount()).as("an expired token still exists until revoked").isEqualTo(2);
    }

    @Test
    void offsetPaginationAnswers400PastPage100() throws Exception {
        mint(1, null);
        String base = zendesk.emulator().baseUrl() + "/api/v2/oauth/tokens.json?client_id=" + CLIENT_ID + "&per_page=100&page=";

        assertThat(get(base + "100").get("_status").asInt()).isEqualTo(200);
        JsonNode refused = get(base + "101");
        assertThat(refused.get("_status").asInt()).isEqualTo(400);
        assertThat(refused.get("description").asText()).contains("cursor pagination");
    }
}
