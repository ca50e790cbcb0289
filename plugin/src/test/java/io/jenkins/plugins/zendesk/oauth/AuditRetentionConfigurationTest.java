package io.jenkins.plugins.zendesk.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The audit retention: JCasC, the System page, bounds, and that saving it prunes at once. */
@WithJenkinsConfiguredWithCode
class AuditRetentionConfigurationTest {

    @Test
    @ConfiguredWithCode("audit-retention-jcasc.yml")
    void jcascSetsTheRetentionTheSystemPageShowsItAndSavingPrunes(JenkinsConfiguredWithCodeRule j) throws Exception {
        assertThat(ZendeskTokenGlobalConfiguration.get().getAuditRetentionDays()).isEqualTo(30);

        // Files of days older than the retention go when the System page is saved.
        Path dir = ZendeskAuditTrail.get().dir().toPath();
        Files.createDirectories(dir);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path old = ZendeskAuditTrail.get().log().fileOf(today.minusDays(31));
        Path kept = ZendeskAuditTrail.get().log().fileOf(today.minusDays(29));
        Files.writeString(old, "{}\n");
        Files.writeString(kept, "{}\n");

        String form = j.createWebClient().goTo("manage/configure").getWebResponse().getContentAsString();
        assertThat(form).contains("auditRetentionDays");
        ZendeskAuditTrail.get().retentionChanged(); // what saving the System page does after binding the form

        assertThat(ZendeskTokenGlobalConfiguration.get().getAuditRetentionDays()).isEqualTo(30);
        assertThat(old).doesNotExist();
        assertThat(kept).exists();
    }

    @Test
    @ConfiguredWithCode("audit-retention-jcasc.yml")
    void aRetentionOutOfBoundsIsRefusedNamingTheField(JenkinsConfiguredWithCodeRule j) {
        assertThatThrownBy(() -> ZendeskTokenGlobalConfiguration.get().setAuditRetentionDays(0))
                .hasMessageContaining("auditRetentionDays").hasMessageContaining("from 1 to 3650");
        assertThatThrownBy(() -> ZendeskTokenGlobalConfiguration.get().setAuditRetentionDays(100_000))
                .hasMessageContaining("auditRetentionDays");
        assertThat(ZendeskTokenGlobalConfiguration.get().getAuditRetentionDays()).isEqualTo(30);
    }
}
