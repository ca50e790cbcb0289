package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binding's pure helpers: the authority format the sweeper relies on, and scope normalisation. */
class ZendeskOAuthTokenBindingTest {

    @Test
    void authorityRoundTripsAwkwardNames() {
        for (String[] pair : new String[][] {
                {"zendesk-admin", "p"},
                {"id@with@ats", "folder/sub folder/job name"},
                {"ünïcode:id", "a%20b/c+d"}}) {
            String authority = ZendeskOAuthTokenBinding.authority(pair[0], pair[1]);
            assertThat(authority).startsWith("jenkins:");
            assertThat(authority.chars().filter(c -> c == '@').count()).as("exactly one separator in %s", authority).isEqualTo(1);
            assertThat(ZendeskOAuthTokenBinding.parseAuthority(authority))
                    .contains(new ZendeskOAuthTokenBinding.Authority(pair[0], pair[1]));
        }
    }

    @Test
    void foreignOrBrokenAuthoritiesAreRejected() {
        assertThat(ZendeskOAuthTokenBinding.parseAuthority(null)).isEmpty();
        assertThat(ZendeskOAuthTokenBinding.parseAuthority("zendesk-admin")).isEmpty();
        assertThat(ZendeskOAuthTokenBinding.parseAuthority("jenkins:no-separator")).isEmpty();
        assertThat(ZendeskOAuthTokenBinding.parseAuthority("jenkins:@job")).isEmpty();
        assertThat(ZendeskOAuthTokenBinding.parseAuthority("jenkins:a@b@c")).isEmpty();
        assertThat(ZendeskOAuthTokenBinding.parseAuthority("jenkins:%zz@job")).isEmpty();
    }

    @Test
    void scopesAreSplitTrimmedAndDeduplicated() {
        assertThat(ZendeskOAuthTokenBinding.normalizeScopes(Arrays.asList(" tickets:read,users:read ", null, "", "tickets:read  read")))
                .containsExactly("tickets:read", "users:read", "read");
        assertThat(ZendeskOAuthTokenBinding.normalizeScopes(null)).isEmpty();
        assertThat(ZendeskOAuthTokenBinding.normalizeScopes(List.of(" "))).isEmpty();
    }

    @Test
    void bindingDefaults() {
        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding("x");
        assertThat(binding.getVariable()).isEqualTo("ZENDESK_OAUTH_TOKEN");
        assertThat(binding.getIdVariable()).isEqualTo("ZENDESK_OAUTH_TOKEN_ID");
        assertThat(binding.getScopes()).isEmpty();
        assertThat(binding.getLifetimeMinutes()).isNull();
        binding.setVariable("  ");
        assertThat(binding.getVariable()).isEqualTo("ZENDESK_OAUTH_TOKEN");
        binding.setScopes(List.of("tickets:read users:read"));
        assertThat(binding.getScopesText()).isEqualTo("tickets:read users:read");
    }
}
