package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Pagination;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite.HostPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Resolving an OAuth client's unique identifier through the paginated List Clients endpoint. */
class ClientResolutionTest {
    /** 250 clients: pages of 100, 100 and 50; the last one is on the third page. */
    private static final int CLIENTS = 250;
    private static final long FIRST_ID = 100_001;

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ClientResolutionTest::startWithManyClients);
    private final ZendeskTransport transport = EmulatedZendesk.transport(POLICY, new RecordingSleeper());
    private EmulatedZendesk env;
    private ZendeskAdminApi api;

    private static ZendeskEmulator startWithManyClients() {
        ZendeskEmulator zendesk = EmulatedZendesk.startEmulator();
        for (int i = 0; i < CLIENTS; i++) {
            zendesk.client(FIRST_ID + i, "client_" + i);
        }
        return zendesk;
    }

    @BeforeEach
    void wire() {
        env = new EmulatedZendesk(zendesk.emulator());
        api = env.api(transport);
    }

    private int listRequests() {
        return env.zendesk.requestCount("GET", "/api/v2/oauth/clients");
    }

    @ParameterizedTest
    @EnumSource(Pagination.class)
    void identifierOnTheLastPageIsFound(Pagination mode) {
        env.zendesk.clientsPagination(mode);

        long id = api.resolveClientId(new OAuthClientRef.ByIdentifier("client_" + (CLIENTS - 1)));

        assertThat(id).isEqualTo(FIRST_ID + CLIENTS - 1);
        assertThat(listRequests()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Pagination.class)
    void lookupStopsAtTheFirstMatch(Pagination mode) {
        env.zendesk.clientsPagination(mode);

        assertThat(api.resolveClientId(new OAuthClientRef.ByIdentifier(EmulatedZendesk.CLIENT_IDENTIFIER)))
                .isEqualTo(EmulatedZendesk.CLIENT_ID);
        assertThat(listRequests()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Pagination.class)
    void listClientsWalksEveryPage(Pagination mode) {
        env.zendesk.clientsPagination(mode);

        assertThat(api.listClients())
                .hasSize(CLIENTS + 2)
                .extracting(OAuthClientInfo::identifier)
                .contains(EmulatedZendesk.CLIENT_IDENTIFIER, "client_0", "client_249")
                .doesNotHaveDuplicates();
        assertThat(listRequests()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Pagination.class)
    void unknownIdentifierNamesTheClientFieldAndWhereToLook(Pagination mode) {
        env.zendesk.clientsPagination(mode);

        assertThatThrownBy(() -> api.resolveClientId(new OAuthClientRef.ByIdentifier("no_such_client")))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("client"))
                .hasMessageContaining("no OAuth client with unique identifier 'no_such_client'")
                .hasMessageContaining("OAuth clients")
                .hasMessageContaining("numeric client id");
        assertThat(listRequests()).isEqualTo(3);
    }

    @Test
    void numericIdNeedsNoLookup() {
        assertThat(api.resolveClientId(new OAuthClientRef.ById(50328))).isEqualTo(50328);
        assertThat(env.zendesk.requestCount("*", "")).isZero();
    }

    @Test
    void identifierMatchIsExact() {
        env.zendesk.clientsPagination(Pagination.CURSOR);

        assertThatThrownBy(() -> api.resolveClientId(new OAuthClientRef.ByIdentifier("CLIENT_1")))
                .isInstanceOf(ZendeskInputException.class);
    }

    // ---------------------------------------------------------------- links to other origins

    @Test
    void nextPageLinkToAnotherOriginIsNotFollowed() {
        WireMockServer foreign = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("localhost"));
        WireMockServer origin = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("localhost"));
        foreign.start();
        origin.start();
        try {
            foreign.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"clients\":[{\"id\":666,\"identifier\":\"wanted\"}],\"meta\":{\"has_more\":false}}")));
            origin.stubFor(get(urlPathEqualTo("/api/v2/oauth/clients.json")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"clients\":[{\"id\":1,\"identifier\":\"other\"}],\"meta\":{\"has_more\":true},"
                            + "\"links\":{\"next\":\"" + foreign.baseUrl() + "/api/v2/oauth/clients.json?page%5Bafter%5D=x\"}}")));
            ZendeskAdminApi onOrigin = transport.admin(ZendeskSite.parse(origin.baseUrl(), HostPolicy.ANY_HOST), env.auth);

            assertThatThrownBy(() -> onOrigin.resolveClientId(new OAuthClientRef.ByIdentifier("wanted")))
                    .isInstanceOfSatisfying(ZendeskApiException.class,
                            e -> assertThat(e.reason()).isEqualTo(ZendeskApiException.Reason.UNEXPECTED_RESPONSE))
                    .hasMessageContaining("another origin")
                    .hasMessageContaining(foreign.baseUrl());
            assertThat(foreign.getAllServeEvents()).as("requests sent to the foreign origin").isEmpty();
            assertThat(origin.getAllServeEvents()).singleElement()
                    .satisfies(e -> assertThat(e.getRequest().containsHeader("Authorization")).isTrue());
        } finally {
            origin.stop();
            foreign.stop();
        }
    }

    @Test
    void offsetNextPageOnAnotherSchemeIsNotFollowed() {
        WireMockServer origin = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("localhost"));
        origin.start();
        try {
            String httpsTwin = origin.baseUrl().replace("http://", "https://");
            origin.stubFor(get(urlPathEqualTo("/api/v2/oauth/clients.json")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"clients\":[],\"next_page\":\"" + httpsTwin + "/api/v2/oauth/clients.json?page=2\"}")));
            ZendeskAdminApi onOrigin = transport.admin(ZendeskSite.parse(origin.baseUrl(), HostPolicy.ANY_HOST), env.auth);

            assertThatThrownBy(onOrigin::listClients).hasMessageContaining("another origin");
            assertThat(origin.getAllServeEvents()).hasSize(1);
        } finally {
            origin.stop();
        }
    }
}
