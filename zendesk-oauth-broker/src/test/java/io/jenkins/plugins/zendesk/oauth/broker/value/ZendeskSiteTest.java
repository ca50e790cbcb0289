package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite.HostPolicy;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ZendeskSiteTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "acme", "ACME", "  acme  ", "acme.zendesk.com", "Acme.Zendesk.Com",
        "https://acme.zendesk.com", "https://acme.zendesk.com/", "HTTPS://ACME.ZENDESK.COM", " https://acme.zendesk.com "
    })
    void acceptsSubdomainAndSiteUrlForms(String input) {
        ZendeskSite site = ZendeskSite.parse(input);

        assertThat(site.baseUri()).isEqualTo(URI.create("https://acme.zendesk.com"));
        assertThat(site).hasToString("https://acme.zendesk.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a1", "my-company", "0acme", "x23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsValidDnsLabels(String label) {
        assertThat(ZendeskSite.parse(label).baseUri().getHost()).isEqualTo(label + ".zendesk.com");
        assertThat(ZendeskSite.parse("https://" + label + ".zendesk.com").baseUri().getHost()).isEqualTo(label + ".zendesk.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // user info tricks
        "acme.zendesk.com@evil.com",
        "https://acme.zendesk.com@evil.com",
        "https://user:pass@acme.zendesk.com",
        "https://acme@acme.zendesk.com",
        // path, query and fragment tricks
        "https://evil.com/.zendesk.com",
        "evil.com/.zendesk.com",
        "https://acme.zendesk.com/api/v2",
        "https://acme.zendesk.com/?x=1",
        "https://acme.zendesk.com?x=1",
        "https://acme.zendesk.com#fragment",
        "https://acme.zendesk.com/#",
        // look-alike hosts
        "https://acme.zendesk.com.evil.com",
        "acme.zendesk.com.evil.com",
        "https://acmezendesk.com",
        "https://zendesk.com",
        "https://.zendesk.com",
        "https://a.b.zendesk.com",
        "https://acme.zendesk.com.",
        "https://evil.com",
        "https://acme.zendesk.co",
        // scheme and port
        "http://acme.zendesk.com",
        "ftp://acme.zendesk.com",
        "https://acme.zendesk.com:8443",
        "https://acme.zendesk.com:443",
        "acme.zendesk.com:443",
        // label rules
        "ac_me",
        "https://ac_me.zendesk.com",
        "-acme",
        "acme-",
        "ac me",
        "acmé",
        "https://acmé.zendesk.com",
        "x234567890123456789012345678901234567890123456789012345678901234",
        "https://x234567890123456789012345678901234567890123456789012345678901234.zendesk.com",
        // junk
        "https://",
        "https:acme.zendesk.com",
        "//acme.zendesk.com",
        "https://evil.com\\.zendesk.com",
        "https://acme.zendesk.com%2F@evil.com",
    })
    void refusesEveryTrick(String input) {
        assertThatThrownBy(() -> ZendeskSite.parse(input))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("site");
                    assertThat(e.getMessage()).startsWith("site: ").contains("https://acme.zendesk.com");
                });
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void refusesEmptyInputNamingTheField(String input) {
        assertThatThrownBy(() -> ZendeskSite.parse(input))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("site"))
                .hasMessageContaining("empty");
    }

    @Test
    void httpMessageSaysHttpsIsRequired() {
        assertThatThrownBy(() -> ZendeskSite.parse("http://acme.zendesk.com")).hasMessageContaining("https");
    }

    @Test
    void userInfoMessageDoesNotRepeatTheUserInfo() {
        assertThatThrownBy(() -> ZendeskSite.parse("https://admin:s3cr3t-password@acme.zendesk.com"))
                .hasMessageContaining("user information")
                .hasMessageNotContaining("s3cr3t-password");
    }

    @Test
    void veryLongInputIsAbbreviatedInTheMessage() {
        String input = "x".repeat(500);
        assertThatThrownBy(() -> ZendeskSite.parse(input))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void aSecretPastedIntoTheSiteFieldIsNotEchoed() {
        // 64 hex digits, the shape of an OAuth token: too long for a DNS label, so it is refused.
        String apiToken = "52d7ef4ee01e2c2c75bff572f957cd4f12d6225eee07ea2f01d01a9c3b7e1f20";
        assertThatThrownBy(() -> ZendeskSite.parse(apiToken))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageNotContaining(apiToken)
                .hasMessageNotContaining(apiToken.toLowerCase(java.util.Locale.ROOT))
                .hasMessageContaining("not a Zendesk subdomain");
    }

    @Test
    void anyHostPolicyAcceptsHttpLocalhostWithPort() {
        ZendeskSite site = ZendeskSite.parse("http://localhost:8089", HostPolicy.ANY_HOST);

        assertThat(site.baseUri()).isEqualTo(URI.create("http://localhost:8089"));
        assertThat(site.resolve("/api/v2/oauth/tokens.json")).isEqualTo(URI.create("http://localhost:8089/api/v2/oauth/tokens.json"));
    }

    @Test
    void anyHostPolicyAcceptsGatewayHostsAndIpLiterals() {
        assertThat(ZendeskSite.parse("https://zendesk-gateway.example.com", HostPolicy.ANY_HOST).baseUri())
                .isEqualTo(URI.create("https://zendesk-gateway.example.com"));
        assertThat(ZendeskSite.parse("http://127.0.0.1:9000/", HostPolicy.ANY_HOST).baseUri())
                .isEqualTo(URI.create("http://127.0.0.1:9000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://user@localhost:8089",
        "http://user:pw@localhost:8089",
        "http://localhost:8089@evil.com",
        "http://localhost:8089/api",
        "http://localhost:8089/?q",
        "http://localhost:8089#f",
        "ftp://localhost:8089",
        "file:///etc/passwd",
        "http://",
    })
    void anyHostPolicyStillRefusesUserInfoPathQueryFragmentAndOtherSchemes(String input) {
        assertThatThrownBy(() -> ZendeskSite.parse(input, HostPolicy.ANY_HOST))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("site"));
    }

    @Test
    void defaultPolicyRefusesLocalhost() {
        assertThatThrownBy(() -> ZendeskSite.parse("http://localhost:8089")).isInstanceOf(ZendeskInputException.class);
        assertThatThrownBy(() -> ZendeskSite.parse("https://localhost")).isInstanceOf(ZendeskInputException.class);
    }

    @Test
    void subdomainInputIgnoresAnyHostPolicyAndStaysOnZendesk() {
        assertThat(ZendeskSite.parse("acme", HostPolicy.ANY_HOST).baseUri()).isEqualTo(URI.create("https://acme.zendesk.com"));
    }

    @Test
    void resolveRequiresAnAbsolutePath() {
        ZendeskSite site = ZendeskSite.parse("acme");

        assertThat(site.resolve("/api/v2/users/me.json")).isEqualTo(URI.create("https://acme.zendesk.com/api/v2/users/me.json"));
        assertThatThrownBy(() -> site.resolve("api/v2/users/me.json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameOriginComparesSchemeHostAndPortAndRefusesUserInfo() {
        ZendeskSite site = ZendeskSite.parse("http://localhost:8089", HostPolicy.ANY_HOST);

        assertThat(site.isSameOrigin(URI.create("http://localhost:8089/api/v2/oauth/clients.json?page=2"))).isTrue();
        assertThat(site.isSameOrigin(URI.create("HTTP://LOCALHOST:8089/x"))).isTrue();
        assertThat(site.isSameOrigin(URI.create("http://localhost:8090/x"))).isFalse();
        assertThat(site.isSameOrigin(URI.create("https://localhost:8089/x"))).isFalse();
        assertThat(site.isSameOrigin(URI.create("http://evil.com:8089/x"))).isFalse();
        assertThat(site.isSameOrigin(URI.create("http://user@localhost:8089/x"))).isFalse();
        assertThat(site.isSameOrigin(URI.create("/relative"))).isFalse();
    }

    @Test
    void sameOriginOnZendeskSiteRefusesLookAlikes() {
        ZendeskSite site = ZendeskSite.parse("acme");

        assertThat(site.isSameOrigin(URI.create("https://acme.zendesk.com/api/v2/oauth/clients.json?page[after]=x".replace("[", "%5B").replace("]", "%5D"))))
                .isTrue();
        assertThat(site.isSameOrigin(URI.create("https://acme.zendesk.com.evil.com/x"))).isFalse();
        assertThat(site.isSameOrigin(URI.create("https://other.zendesk.com/x"))).isFalse();
        assertThat(site.isSameOrigin(URI.create("http://acme.zendesk.com/x"))).isFalse();
    }

    @Test
    void equalityFollowsTheNormalizedOrigin() {
        assertThat(ZendeskSite.parse("ACME")).isEqualTo(ZendeskSite.parse("https://acme.zendesk.com/"))
                .hasSameHashCodeAs(ZendeskSite.parse("acme.zendesk.com"));
        assertThat(ZendeskSite.parse("acme")).isNotEqualTo(ZendeskSite.parse("acme2"));
    }
}
