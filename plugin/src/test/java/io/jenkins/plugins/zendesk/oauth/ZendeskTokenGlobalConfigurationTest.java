package io.jenkins.plugins.zendesk.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The plugin's global settings: JCasC, the System page, and what they mean for a block. */
@WithJenkinsConfiguredWithCode
class ZendeskTokenGlobalConfigurationTest {

    @Test
    @ConfiguredWithCode("zendesk-oauth-token-settings.yml")
    void rateLimitWaitComesFromConfigurationAsCodeAndSurvivesTheSystemPage(JenkinsConfiguredWithCodeRule j) throws Exception {
        ZendeskTokenGlobalConfiguration settings = ZendeskTokenGlobalConfiguration.get();
        assertThat(settings.getRateLimitWaitMinutes()).isEqualTo(3);
        Admission admission = settings.buildAdmission();
        assertThat(admission.priority()).isEqualTo(Admission.Priority.BUILD);
        assertThat(admission.maxWait()).isEqualTo(Duration.ofMinutes(3));
        assertThat(admission.maxWaitSetting()).contains("Manage Jenkins").contains("Longest wait for Zendesk's rate limit");

        j.configRoundtrip();

        assertThat(ZendeskTokenGlobalConfiguration.get().getRateLimitWaitMinutes()).isEqualTo(3);
    }

    @Test
    void defaultsToTenMinutesAndKeepsValuesInRange(JenkinsConfiguredWithCodeRule j) {
        ZendeskTokenGlobalConfiguration settings = ZendeskTokenGlobalConfiguration.get();
        assertThat(settings.getRateLimitWaitMinutes()).isEqualTo(10);

        settings.setRateLimitWaitMinutes(-5);
        assertThat(settings.getRateLimitWaitMinutes()).isZero();
        settings.setRateLimitWaitMinutes(100_000);
        assertThat(settings.getRateLimitWaitMinutes()).isEqualTo(ZendeskTokenGlobalConfiguration.MAX_RATE_LIMIT_WAIT_MINUTES);
    }
}
