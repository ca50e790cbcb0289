package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binding's pure helpers: scope normalisation and defaults. */
class ZendeskOAuthTokenBindingTest {

    @Test
    void scopesAreSplitTrimmedAndDeduplicated() {
        assertThat(BlockInput.normalizeScopes(Arrays.asList(" tickets:read,users:read ", null, "", "tickets:read  read")))
                .containsExactly("tickets:read", "users:read", "read");
        assertThat(BlockInput.normalizeScopes(null)).isEmpty();
        assertThat(BlockInput.normalizeScopes(List.of(" "))).isEmpty();
    }

    @Test
    void bindingDefaults() {
        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding("x");
        assertThat(binding.getVariable()).isEqualTo("ZENDESK_OAUTH_TOKEN");
        assertThat(binding.getIdVariable()).isEqualTo("ZENDESK_OAUTH_TOKEN_ID");
        assertThat(binding.getScopes()).isEmpty();
        assertThat(binding.getExpiresAtVariable()).isEqualTo("ZENDESK_OAUTH_TOKEN_EXPIRES_AT");
        binding.setVariable("  ");
        assertThat(binding.getVariable()).isEqualTo("ZENDESK_OAUTH_TOKEN");
        binding.setScopes(List.of("tickets:read users:read"));
        assertThat(binding.getScopesText()).isEqualTo("tickets:read users:read");
    }
}
