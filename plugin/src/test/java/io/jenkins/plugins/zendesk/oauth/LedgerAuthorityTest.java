package io.jenkins.plugins.zendesk.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The authority format the sweeper relies on to find a ledger entry's credential again. */
class LedgerAuthorityTest {

    @Test
    void authorityRoundTripsAwkwardNames() {
        for (String[] pair : new String[][] {
                {"zendesk-admin", "p"},
                {"id@with@ats", "folder/sub folder/job name"},
                {"ünïcode:id", "a%20b/c+d"}}) {
            String authority = new LedgerAuthority(pair[0], pair[1]).format();
            assertThat(authority).startsWith("jenkins:");
            assertThat(authority.chars().filter(c -> c == '@').count()).as("exactly one separator in %s", authority).isEqualTo(1);
            assertThat(LedgerAuthority.parse(authority))
                    .contains(new LedgerAuthority(pair[0], pair[1]));
        }
    }

    @Test
    void foreignOrBrokenAuthoritiesAreRejected() {
        assertThat(LedgerAuthority.parse(null)).isEmpty();
        assertThat(LedgerAuthority.parse("zendesk-admin")).isEmpty();
        assertThat(LedgerAuthority.parse("jenkins:no-separator")).isEmpty();
        assertThat(LedgerAuthority.parse("jenkins:@job")).isEmpty();
        assertThat(LedgerAuthority.parse("jenkins:a@b@c")).isEmpty();
        assertThat(LedgerAuthority.parse("jenkins:%zz@job")).isEmpty();
    }
}
