package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeCatalogueTest {
    private final ScopeCatalogue standard = ScopeCatalogue.standard();

    @Test
    void everyScopeNamesItsSource() {
        assertThat(standard.all()).isNotEmpty().allSatisfy(scope -> assertThat(standard.source(scope)).isPresent());
        assertThat(standard.source("security:read")).hasValueSatisfying(s -> assertThat(s).contains("OpenAPI", "2026-07"));
        assertThat(standard.source("ticket_views:read")).hasValueSatisfying(s -> assertThat(s).contains("2026-08-10"));
        assertThat(standard.source("unrestricted:read")).hasValueSatisfying(s -> assertThat(s).contains("OAuth Tokens"));
    }

    @Test
    void everyScopeIsWellFormed() {
        assertThat(standard.all()).allSatisfy(scope -> assertThat(ScopeCatalogue.isWellFormed(scope)).isTrue());
    }

    @Test
    void summaryGroupsResourcesByTheirAccess() {
        assertThat(standard.summary())
                .startsWith("read, write, impersonate, or <resource>:read / <resource>:write for tickets, users, ")
                .contains("ticket_attachments", "unrestricted")
                .contains("; read only: auditlogs:read, security:read; write only: any_channel:write, web_widget:write");
    }

    @Test
    void readsSourcesAndScopes() throws Exception {
        ScopeCatalogue catalogue = ScopeCatalogue.read(new StringReader("""
                # comment
                @source doc  Some page
                read doc

                widgets:read doc
                """), "test");

        assertThat(catalogue.all()).containsExactly("read", "widgets:read");
        assertThat(catalogue.source("widgets:read")).contains("Some page");
        assertThat(catalogue.contains("widgets:write")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"read undeclared", "@source doc x\nread doc\nread doc", "@source doc x\nTickets:read doc",
        "@source doc x\ntickets:read", "@source doc x\ntickets:read doc extra"})
    void refusesAMalformedCatalogueNamingTheLine(String text) {
        assertThatThrownBy(() -> ScopeCatalogue.read(new StringReader(text), "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test, line ");
    }

    @Test
    void suggestsTheNearestScopeWithinThreeEdits() {
        assertThat(standard.closest("ticket_view:read")).contains("ticket_views:read");
        assertThat(standard.closest("unrestrcted:write")).contains("unrestricted:write");
        assertThat(standard.closest("everything")).isEmpty();
        assertThat(standard.closest("t".repeat(ScopeCatalogue.MAX_SCOPE_LENGTH + 1))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../README.md", "../docs/pipeline-guide.md", "../docs/admin-guide.md"})
    void theUserDocsListEveryCataloguedResource(String doc) throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(doc));
        for (String scope : standard.all()) {
            String resource = scope.contains(":") ? scope.substring(0, scope.indexOf(':')) : scope;
            assertThat(java.util.regex.Pattern.compile("\\b" + resource + "\\b").matcher(text).find())
                    .as(doc + " names " + resource).isTrue();
        }
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertThat(ScopeCatalogue.editDistance("tickets:read", "tickets:read")).isZero();
        assertThat(ScopeCatalogue.editDistance("tickets:read", "tickts:read")).isEqualTo(1);
        assertThat(ScopeCatalogue.editDistance("read", "write")).isEqualTo(4);
        assertThat(ScopeCatalogue.editDistance("", "hc:read")).isEqualTo(7);
    }
}
