package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeSetTest {

    private static ScopeSet set(String text) {
        return ScopeSet.parse(text, "scopes");
    }

    @Test
    void deduplicatesNormalizesAndSorts() {
        ScopeSet scopes = ScopeSet.parse(List.of("users:read", "TICKETS:read", "tickets:read ", "read", "write"), "scopes");

        assertThat(scopes.asStrings()).containsExactly("read", "write", "tickets:read", "users:read");
        assertThat(scopes).hasToString("read write tickets:read users:read");
    }

    @Test
    void formFieldTextSplitsOnSpacesAndCommas() {
        assertThat(set(" tickets:read, users:read\n  hc:write ,,").asStrings())
                .containsExactly("hc:write", "tickets:read", "users:read");
    }

    @Test
    void blankEntriesAreIgnored() {
        assertThat(ScopeSet.parse(Arrays.asList("", null, "  ", "read"), "scopes").asStrings()).containsExactly("read");
        assertThat(set("   ").isEmpty()).isTrue();
        assertThat(ScopeSet.parse((String) null, "scopes").isEmpty()).isTrue();
    }

    @Test
    void oneBadEntryRefusesTheWholeListNamingTheField() {
        assertThatThrownBy(() -> ScopeSet.parse(List.of("tickets:read", "chat"), "scopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("'chat'");
    }

    @Test
    void setsAreEqualRegardlessOfOrderAndCase() {
        assertThat(set("users:read tickets:read")).isEqualTo(set("TICKETS:READ,users:read"));
    }

    @Test
    void scopesAreUnmodifiable() {
        ScopeSet scopes = set("read");

        assertThatThrownBy(() -> scopes.scopes().add(Scope.parse("write", "x"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void excessOverCeilingListsOnlyWhatIsNotCovered() {
        ScopeSet request = set("tickets:read read users:write");

        assertThat(request.excessOver(set("read")).asStrings()).containsExactly("users:write");
        assertThat(request.excessOver(set("read write")).isEmpty()).isTrue();
    }

    @Test
    void resourceReadIsWithinReadCeiling() {
        set("tickets:read").requireWithin(set("read"), "scopes");
    }

    @Test
    void readIsNotWithinResourceReadCeiling() {
        assertThatThrownBy(() -> set("read").requireWithin(set("tickets:read"), "scopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("scopes read exceed the credential's allowed scopes tickets:read")
                .hasMessageContaining("ask for fewer scopes");
    }

    @Test
    void writeCeilingDoesNotAllowRead() {
        assertThatThrownBy(() -> set("tickets:read").requireWithin(set("write"), "scopes"))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("tickets:read");
    }

    @Test
    void ceilingMessageNamesTheGivenField() {
        assertThatThrownBy(() -> set("impersonate").requireWithin(set("read write"), "stepScopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("stepScopes"));
    }

    // ---------------------------------------------------------------- vouching by the allowed scopes

    @Test
    void allowedScopesMayNameScopesTheCatalogueDoesNotKnow() {
        ScopeSet allowed = ScopeSet.parseAllowed("tickets:read ticket_forms:read", "allowedScopes");

        assertThat(allowed.uncatalogued().asStrings()).containsExactly("ticket_forms:read");
        assertThat(ScopeSet.parse("ticket_forms:read tickets:read", "scopes", allowed).asStrings())
                .containsExactly("ticket_forms:read", "tickets:read");
    }

    @Test
    void aGlobalAllowedScopeDoesNotVouchForAnUnknownResource() {
        ScopeSet allowed = ScopeSet.parseAllowed("read write", "allowedScopes");

        assertThatThrownBy(() -> ScopeSet.parse("ticket_forms:read", "scopes", allowed))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("unknown scope 'ticket_forms:read'")
                .hasMessageContaining("allowed scopes");
    }

    @Test
    void withoutAllowedScopesOnlyTheCatalogueCounts() {
        assertThatThrownBy(() -> set("ticket_forms:read")).isInstanceOf(ZendeskInputException.class);
        assertThatThrownBy(() -> ScopeSet.parseAllowed("tickets:raed", "allowedScopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("allowedScopes"))
                .hasMessageContaining("did you mean 'tickets:read'?");
    }

    @Test
    void listsAreBounded() {
        List<String> many = java.util.Collections.nCopies(ScopeSet.MAX_SCOPES + 1, "read");
        assertThatThrownBy(() -> ScopeSet.parse(many, "scopes")).isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("more than the " + ScopeSet.MAX_SCOPES);
        assertThatThrownBy(() -> ScopeSet.parseAllowed("read ".repeat(InputLimits.SCOPE_LIST), "allowedScopes"))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("too long").hasMessageContaining("at most " + InputLimits.SCOPE_LIST);
    }
}
