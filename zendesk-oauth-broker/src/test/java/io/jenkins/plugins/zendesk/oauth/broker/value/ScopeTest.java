package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

    static Stream<String> everyValidScope() {
        return Scope.allValid().stream();
    }

    @ParameterizedTest
    @MethodSource("everyValidScope")
    void everyDocumentedScopeParsesAndPrintsBackUnchanged(String text) {
        assertThat(Scope.parse(text, "scopes")).hasToString(text);
    }

    @Test
    void theCatalogueHasTheScopesOfThe2026Material() {
        assertThat(Scope.allValid())
                .contains("read", "write", "impersonate", "tickets:read", "tickets:write", "hc:write", "dynamic_content:read",
                        "satisfaction_ratings:write", "auditlogs:read", "any_channel:write", "web_widget:write",
                        "unrestricted:read", "unrestricted:write", "security:read",
                        "ticket_attachments:read", "ticket_attachments:write", "ticket_views:read", "ticket_views:write")
                .doesNotContain("auditlogs:write", "any_channel:read", "web_widget:read", "security:write", "chat", "tickets:impersonate")
                .doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "  Tickets:READ |tickets:read",
        "READ|read",
        "\tWrite\t|write",
        "IMPERSONATE|impersonate",
        "Users:Write|users:write",
    })
    void normalizesCaseAndSurroundingWhitespace(String input, String normalized) {
        assertThat(Scope.parse(input, "scopes")).hasToString(normalized);
    }

    @Test
    void globalScopesHaveNoResource() {
        Scope read = Scope.parse("read", "scopes");

        assertThat(read.resource()).isNull();
        assertThat(read.access()).isEqualTo(Scope.Access.READ);
        assertThat(Scope.parse("tickets:write", "scopes")).isEqualTo(new Scope("tickets", Scope.Access.WRITE));
    }

    @Test
    void chatIsRefusedAsAChatApiScope() {
        assertThatThrownBy(() -> Scope.parse("chat", "scopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("Chat API")
                .hasMessageContaining("Valid scopes: read, write, impersonate");
    }

    @Test
    void auditlogsWriteIsRefusedAsReadOnly() {
        assertThatThrownBy(() -> Scope.parse("auditlogs:write", "scopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("auditlogs is read-only")
                .hasMessageContaining("auditlogs:read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"any_channel:read", "web_widget:read"})
    void writeOnlyResourcesRefuseRead(String scope) {
        assertThatThrownBy(() -> Scope.parse(scope, "scopes"))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("is write-only")
                .hasMessageContaining("any_channel:write, web_widget:write");
    }

    @ParameterizedTest
    @CsvSource({
        "tickts:read, tickets:read",
        "tickets:raed, tickets:read",
        "ticket:read, tickets:read",
        "user:write, users:write",
        "reed, read",
        "wirte, write",
        "organisations:read, organizations:read",
        "impersonat, impersonate",
        "webhook:write, webhooks:write",
    })
    void misspellingsAreRefusedWithASuggestion(String misspelled, String suggestion) {
        assertThatThrownBy(() -> Scope.parse(misspelled, "scopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("unknown scope '" + misspelled + "'")
                .hasMessageContaining("did you mean '" + suggestion + "'?")
                .hasMessageContaining("Valid scopes:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"everything", "tickets", "tickets:", ":read", "tickets:read:write", "tickets:impersonate",
        "impersonate:read", "tickets:admin", "read write", "*"})
    void unknownScopesAreRefusedListingValidValues(String text) {
        assertThatThrownBy(() -> Scope.parse(text, "scopes"))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("Valid scopes: read, write, impersonate, or <resource>:read / <resource>:write for tickets, users");
    }

    @Test
    void farFetchedInputGetsNoSuggestion() {
        assertThatThrownBy(() -> Scope.parse("everything", "scopes")).hasMessageNotContaining("did you mean");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyScopeIsRefused(String text) {
        assertThatThrownBy(() -> Scope.parse(text, "scopes")).isInstanceOf(ZendeskInputException.class);
    }

    @Test
    void messagesNameTheFieldTheCallerPassed() {
        assertThatThrownBy(() -> Scope.parse("nope", "allowedScopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("allowedScopes"))
                .hasMessageStartingWith("allowedScopes: ");
    }

    @Test
    void constructorRefusesScopesOutsideTheGrammar() {
        assertThatThrownBy(() -> new Scope("tickets", Scope.Access.IMPERSONATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scope("Tickets", Scope.Access.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scope("a:b", Scope.Access.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scope(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- scopes Zendesk added after the catalogue

    @Test
    void anUnknownWellFormedScopeIsRefusedWithASuggestionAndHowToAllowIt() {
        assertThatThrownBy(() -> Scope.parse("ticket_attachment:read", "scopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("scopes"))
                .hasMessageContaining("unknown scope 'ticket_attachment:read'")
                .hasMessageContaining("did you mean 'ticket_attachments:read'?")
                .hasMessageContaining("naming it explicitly in the credential's allowed scopes (allowedScopes)");
    }

    @Test
    void anUnknownWellFormedScopeIsAcceptedWhenVouchedFor() {
        Scope future = Scope.parseVouched("ticket_forms:read", "allowedScopes");

        assertThat(future.isCatalogued()).isFalse();
        assertThat(Scope.parse("Ticket_Forms:READ", "scopes", Set.of(future))).isEqualTo(future).hasToString("ticket_forms:read");
        assertThatThrownBy(() -> Scope.parse("ticket_forms:write", "scopes", Set.of(future)))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("allowed scopes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tickets", "tickets:admin", "tickets:read:write", "9tickets:read", "tick-ets:read", "read:read", ":read",
        "tickets read"})
    void vouchingStillNeedsAWellFormedScope(String text) {
        assertThatThrownBy(() -> Scope.parseVouched(text, "allowedScopes"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("allowedScopes"))
                .hasMessageContaining("Valid scopes:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auditlogs:write", "security:write", "any_channel:read"})
    void vouchingDoesNotChangeTheAccessOfAKnownResource(String text) {
        assertThatThrownBy(() -> Scope.parseVouched(text, "allowedScopes"))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageMatching(".*is (read|write)-only.*");
    }

    @Test
    void catalogueScopesNeedNoVouching() {
        assertThat(Scope.parseVouched("security:read", "allowedScopes").isCatalogued()).isTrue();
        assertThat(Scope.parse("unrestricted:write", "scopes").isCatalogued()).isTrue();
    }

    @Test
    void overlongInputIsRefusedBeforeAnyComparison() {
        String longScope = "t".repeat(InputLimits.SCOPE) + ":read";

        assertThatThrownBy(() -> Scope.parseVouched(longScope, "allowedScopes"))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("too long").hasMessageContaining("at most " + InputLimits.SCOPE);
        assertThatThrownBy(() -> Scope.parse("x".repeat(100_000), "scopes")).isInstanceOf(ZendeskInputException.class);
    }

    // ---------------------------------------------------------------- ceiling

    private static Scope scope(String text) {
        return Scope.parse(text, "scopes");
    }

    private static Set<Scope> granted(String... texts) {
        return Stream.of(texts).map(ScopeTest::scope).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void resourceReadIsWithinGlobalRead() {
        assertThat(scope("tickets:read").isWithin(granted("read"))).isTrue();
    }

    @Test
    void globalReadIsNotWithinResourceRead() {
        assertThat(scope("read").isWithin(granted("tickets:read"))).isFalse();
    }

    @Test
    void writeDoesNotImplyRead() {
        assertThat(scope("read").isWithin(granted("write"))).isFalse();
        assertThat(scope("tickets:read").isWithin(granted("write"))).isFalse();
        assertThat(scope("tickets:read").isWithin(granted("tickets:write"))).isFalse();
    }

    @Test
    void readDoesNotImplyWrite() {
        assertThat(scope("tickets:write").isWithin(granted("read"))).isFalse();
        assertThat(scope("write").isWithin(granted("read"))).isFalse();
    }

    @Test
    void resourceWriteIsWithinGlobalWrite() {
        assertThat(scope("any_channel:write").isWithin(granted("write"))).isTrue();
    }

    @Test
    void impersonateIsOnlyWithinItself() {
        assertThat(scope("impersonate").isWithin(granted("read", "write"))).isFalse();
        assertThat(scope("impersonate").isWithin(granted("impersonate"))).isTrue();
    }

    @Test
    void aResourceIsNotWithinAnotherResource() {
        assertThat(scope("users:read").isWithin(granted("tickets:read"))).isFalse();
        assertThat(scope("tickets:read").isWithin(granted("tickets:read"))).isTrue();
    }

    @Test
    void nothingIsWithinAnEmptyCeiling() {
        assertThat(scope("tickets:read").isWithin(Set.of())).isFalse();
    }
}
