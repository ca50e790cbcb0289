package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite.HostPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The headers of requests without a body, as they reach the server. */
class RequestFormatTest {
    /** A bare stub server, not the emulator: these tests read each request as it arrived, which the emulator does not keep. */
    @RegisterExtension
    final WireMockExtension server = WireMockExtension.newInstance()
            .options(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("localhost")).build();
    private ZendeskAdminApi api;

    @BeforeEach
    void wire() {
        api = EmulatedZendesk.transport(POLICY, new RecordingSleeper()).admin(ZendeskSite.parse(server.baseUrl(), HostPolicy.ANY_HOST),
                new AdminAuth.ApiToken("robot@example.com", SecretValue.of("api-token-for-header-test")));
    }

    @Test
    void aRevocationSendsAJsonContentTypeWithoutABody() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));

        assertThat(api.revoke(9000)).isTrue();

        server.verify(deleteRequestedFor(urlEqualTo("/api/v2/oauth/tokens/9000.json"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json")));
        assertThat(server.getAllServeEvents()).singleElement().satisfies(e -> assertThat(e.getRequest().getBody()).isEmpty());
    }

    @Test
    void aListingSendsNoContentType() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"tokens\":[],\"meta\":{\"has_more\":false},\"links\":{\"next\":null}}")));

        assertThat(api.listTokens(50328)).isEmpty();

        server.verify(getRequestedFor(urlPathEqualTo("/api/v2/oauth/tokens.json"))
                .withQueryParam("client_id", equalTo("50328"))
                .withQueryParam("page[size]", equalTo("100"))
                .withQueryParam("per_page", absent())
                .withQueryParam("include_expired", absent())
                .withHeader("Content-Type", absent()));
    }
}
