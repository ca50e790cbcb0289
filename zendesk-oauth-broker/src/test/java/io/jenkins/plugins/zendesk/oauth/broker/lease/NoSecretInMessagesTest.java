package io.jenkins.plugins.zendesk.oauth.broker.lease;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.ADMIN_API_TOKEN;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.ADMIN_EMAIL;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.AGENT_API_TOKEN;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.AGENT_EMAIL;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.LIMITED_CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.FaultPlan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RefusingHttpClient;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskAdminApi;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every error path and scans everything a user could see (exception messages with causes and
 * suppressed exceptions, {@code toString} of every value, audit events, the ledger file) for the
 * admin secrets and for every token value the emulated Zendesk ever issued.
 */
class NoSecretInMessagesTest {
    private static final String PASSWORD_EMAIL = "password-admin@example.com";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String BEARER = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
    private static final String WRONG_TOKEN = "Wr0ngT0kenWr0ngT0kenWr0ngT0kenWr0ngT0ken";
    /** Each half is a secret by itself: a message quoting the value around its line break would show them. */
    private static final String BROKEN_HALF_1 = "7f3a7f3a7f3a7f3a";
    private static final String BROKEN_HALF_2 = "9c1d9c1d9c1d9c1d";
    private static final String CLIENT_SECRET = "Cl1entS3cretCl1entS3cretCl1entS3cret";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(() -> EmulatedZendesk.startEmulator()
            .adminWithPassword(7020, PASSWORD_EMAIL, PASSWORD).adminBearer(7021, "bearer@example.com", BEARER)
            .confidentialClient(50400, "jenkins_cc", CLIENT_SECRET, EmulatedZendesk.ADMIN_ID, null));
    private EmulatedZendesk env;

    @TempDir
    Path dir;
    private final List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    private FileLeaseLedger ledger;
    private TokenBroker broker;
    private ZendeskAdminApi api;

    /** One error path: returns what it produced (exceptions, values) for the scan. */
    record Scenario(String name, Function<NoSecretInMessagesTest, List<Object>> run) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void wire() {
        env = new EmulatedZendesk(zendesk.emulator()).warmedUp();
        ZendeskTransport transport = EmulatedZendesk.transport(POLICY.withRequestTimeout(Duration.ofSeconds(1)), new RecordingSleeper());
        ledger = new FileLeaseLedger(dir.resolve("ledger.json"), Clock.systemUTC());
        broker = new TokenBroker(transport, ledger, events::add);
        api = env.api(transport);
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("401 wrong API token", t -> t.caught(() -> t.apiAs(new AdminAuth.ApiToken(ADMIN_EMAIL, SecretValue.of(WRONG_TOKEN))).mint(CLIENT_ID, read()))),
                new Scenario("401 API token access disabled", t -> {
                    t.env.zendesk.apiTokenAccessEnabled(false);
                    return t.caught(() -> t.broker.lease(t.request("read")));
                }),
                new Scenario("401 unknown bearer", t -> t.caught(() -> t.apiAs(new AdminAuth.Bearer(SecretValue.of(BEARER.replace('5', '6')))).revoke(1))),
                new Scenario("anonymous 200 on users/me", t -> t.caught(() -> t.apiAs(new AdminAuth.ApiToken(ADMIN_EMAIL, SecretValue.of(WRONG_TOKEN))).me())),
                new Scenario("403 agent", t -> t.caught(() -> t.apiAs(new AdminAuth.ApiToken(AGENT_EMAIL, SecretValue.of(AGENT_API_TOKEN))).mint(CLIENT_ID, read()))),
                new Scenario("404", t -> {
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.status(404));
                    return t.caught(() -> t.broker.lease(t.request("read")));
                }),
                new Scenario("422 scopes not allowed", t -> t.caught(() -> t.api.mint(LIMITED_CLIENT_ID, ScopeSet.parse("write", "scopes")))),
                new Scenario("422 unknown client", t -> t.caught(() -> t.api.mint(999, read()))),
                new Scenario("429 beyond the longest wait", t -> {
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.rateLimited(120));
                    return t.caught(() -> t.broker.lease(t.request("read"),
                            Admission.build().withMaxWait(Duration.ofSeconds(30), "the setting"), LeaseObserver.none()));
                }),
                new Scenario("503 beyond the attempts", t -> {
                    t.env.zendesk.failNext("GET", "/api/v2/oauth/clients", 3, Fault.status(503));
                    return t.caught(t.api::listClients);
                }),
                new Scenario("500 on the mint", t -> {
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 2, Fault.processThenStatus(500)); // the broker tries twice
                    return t.reconciled(t.caught(() -> t.broker.lease(t.request("read"))));
                }),
                new Scenario("connection reset on the mint", t -> {
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 2, Fault.processThenReset()); // the broker tries twice
                    return t.reconciled(t.caught(() -> t.broker.lease(t.request("read"))));
                }),
                new Scenario("HTML 502", t -> {
                    t.env.zendesk.failNext("GET", "/api/v2/oauth/clients", 3, Fault.html(502));
                    return t.caught(t.api::listClients);
                }),
                new Scenario("timeout on the mint", t -> {
                    int issued = t.env.zendesk.issuedTokens().size();
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 2, Fault.delay(Duration.ofSeconds(5))); // the broker tries twice
                    List<Object> seen = t.caught(() -> t.broker.lease(t.request("read")));
                    t.env.awaitIssuedTokens(issued + 2);
                    return t.reconciled(seen);
                }),
                new Scenario("connection refused", t -> t.caught(() -> t.broker.lease(new LeaseRequest(
                        ZendeskSite.parse("http://localhost:1", ZendeskSite.HostPolicy.ANY_HOST), t.env.auth, new OAuthClientRef.ById(CLIENT_ID),
                        read(), Optional.empty(), "owner", "authority")))),
                new Scenario("Zendesk echoes the API token and the Basic header", t -> {
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.status(422, "{\"error\":\"InvalidValue\",\"description\":\"bad credentials "
                            + ADMIN_API_TOKEN + " from header " + t.env.auth.authorizationHeader() + "\"}"));
                    return t.caught(() -> t.broker.lease(t.request("read")));
                }),
                new Scenario("Zendesk echoes the API token in a non-JSON 200", t -> {
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 2, Fault.status(200, "<html><p>token=" + ADMIN_API_TOKEN + "</p></html>")); // the broker tries twice
                    return t.caught(() -> t.broker.lease(t.request("read")));
                }),
                new Scenario("Zendesk echoes a minted token when revocation fails", t -> {
                    TokenLease lease = t.broker.lease(t.request("tickets:read"));
                    FaultPlan echo = t.env.zendesk.failNext("DELETE", "/api/v2/oauth/tokens", 3, Fault.status(400, "{\"error\":\"cannot revoke "
                            + lease.token().value().reveal() + "\"}"));
                    RevocationOutcome failed = lease.revoke();
                    List<Object> seen = new ArrayList<>(List.of(lease, lease.token(), failed, t.ledger.entries()));
                    seen.add(t.broker.revoke(t.env.site, t.env.auth, lease.token().id(), lease.entryId(), "owner"));
                    echo.cancel(); // both revocations met the echo: the token is still live
                    return t.reconciled(seen);
                }),
                new Scenario("a mint answer without token value", t -> {
                    t.env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 2, Fault.status(201, "{\"token\":{\"id\":12}}")); // the broker tries twice
                    return t.caught(() -> t.broker.lease(t.request("read")));
                }),
                new Scenario("a successful lease", t -> {
                    List<Object> seen = new ArrayList<>();
                    try (TokenLease lease = t.broker.lease(t.request("tickets:read users:read"))) {
                        seen.addAll(List.of(lease, lease.token(), lease.token().value(), t.request("read"), t.ledger.entries()));
                        seen.add(lease.revoke());
                    }
                    return seen;
                }),
                // Issue 14: secrets read from files (JCasC, mounted secrets) end with a line break; the JDK's refusal of such a
                // header quotes the whole header, which reached the build log, the ledger and the outstanding tokens page.
                new Scenario("a Bearer admin token ending in a line break is trimmed", t -> t.leaseAndRevoke(
                        new AdminAuth.Bearer(SecretValue.of(BEARER + "\n")))),
                new Scenario("an API token ending in CR LF is trimmed", t -> t.leaseAndRevoke(
                        new AdminAuth.ApiToken(ADMIN_EMAIL, SecretValue.of(ADMIN_API_TOKEN + "\r\n")))),
                new Scenario("a client secret ending in a line break is trimmed", t -> t.leaseAndRevoke(
                        new AdminAuth.ClientCredentials("jenkins_cc", SecretValue.of(CLIENT_SECRET + "\n"), null))),
                new Scenario("control characters inside a secret are refused without quoting it", t -> List.of(
                        catchThrowable(() -> new AdminAuth.Bearer(SecretValue.of(BROKEN_HALF_1 + "\n" + BROKEN_HALF_2))),
                        catchThrowable(() -> new AdminAuth.Bearer(SecretValue.of(BROKEN_HALF_1 + "\u0000" + BROKEN_HALF_2))),
                        catchThrowable(() -> new AdminAuth.ApiToken(ADMIN_EMAIL, SecretValue.of(BROKEN_HALF_1 + "\r" + BROKEN_HALF_2))),
                        catchThrowable(() -> new AdminAuth.ClientCredentials("jenkins_cc", SecretValue.of(BROKEN_HALF_1 + "\t" + BROKEN_HALF_2), null)),
                        catchThrowable(() -> new AdminAuth.Bearer(SecretValue.of(BROKEN_HALF_1 + "\u20ac" + BROKEN_HALF_2))))),
                new Scenario("a control token with a line break from the server is not sent", t -> {
                    t.env.zendesk.failNext("POST", "/oauth/tokens", 3, Fault.status(200, "{\"access_token\":\"" + BROKEN_HALF_1 + "\\n"
                            + BROKEN_HALF_2 + "\",\"token_type\":\"bearer\"}"));
                    return t.caught(() -> t.broker.lease(t.request("read", new AdminAuth.ClientCredentials("jenkins_cc",
                            SecretValue.of(CLIENT_SECRET), null))));
                }),
                new Scenario("the JDK refuses the mint request, quoting its header", t -> {
                    ZendeskTransport refusing = new ZendeskTransport(new RefusingHttpClient(r -> !r.method().equals("DELETE")), POLICY,
                            Clock.systemUTC(), new RecordingSleeper(), new java.util.SplittableRandom(1));
                    TokenBroker refused = new TokenBroker(refusing, t.ledger, t.events::add);
                    List<Object> seen = new ArrayList<>(t.caught(() -> refused.lease(t.request("read"))));
                    seen.addAll(t.caught(() -> refusing.admin(t.env.site, t.env.auth).listClients()));
                    return seen;
                }),
                new Scenario("the JDK refuses a revocation, quoting its header", t -> {
                    TokenLease lease = t.broker.lease(t.request("read"));
                    ZendeskTransport refusing = new ZendeskTransport(new RefusingHttpClient(r -> r.method().equals("DELETE")), POLICY,
                            Clock.systemUTC(), new RecordingSleeper(), new java.util.SplittableRandom(1));
                    RevocationOutcome failed = new TokenBroker(refusing, t.ledger, t.events::add)
                            .revoke(t.env.site, t.env.auth, lease.token().id(), lease.entryId(), "owner");
                    assertThat(failed.revoked()).isFalse();
                    List<Object> seen = new ArrayList<>(List.of(failed, t.ledger.entries()));
                    seen.add(lease.revoke());
                    return seen;
                }),
                new Scenario("admin authentication values", t -> List.of(t.env.auth, t.env.auth.secret(), new AdminAuth.Bearer(SecretValue.of(BEARER)))),
                new Scenario("bad input", t -> List.of(
                        catchThrowable(() -> ZendeskSite.parse("https://robot:" + PASSWORD.replace(' ', '-') + "@acme.zendesk.com")),
                        catchThrowable(() -> ZendeskSite.parse("https://" + ADMIN_EMAIL.replace("@", "%40") + ":" + ADMIN_API_TOKEN + "@acme.zendesk.com")),
                        catchThrowable(() -> SecretValue.of(" ")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noSecretAppearsAnywhere(Scenario scenario) throws IOException {
        List<Object> produced = new ArrayList<>(scenario.run().apply(this));
        produced.addAll(events);
        produced.addAll(ledger.entries());
        if (Files.exists(ledger.file())) {
            produced.add(Files.readString(ledger.file(), StandardCharsets.UTF_8));
        }

        assertThat(produced).isNotEmpty();
        SecretScan.of(env.zendesk).and(WRONG_TOKEN, BROKEN_HALF_1 + "\n" + BROKEN_HALF_2)
                .assertNotIn(scenario + ": messages, events, values and ledger", render(produced));
    }

    // ---------------------------------------------------------------- helpers

    private static ScopeSet read() {
        return ScopeSet.parse("read", "scopes");
    }

    private LeaseRequest request(String scopes) {
        return new LeaseRequest(env.site, env.auth, new OAuthClientRef.ById(CLIENT_ID), ScopeSet.parse(scopes, "scopes"), Optional.empty(),
                "folder/job#1", "zendesk-admin");
    }

    private LeaseRequest request(String scopes, AdminAuth auth) {
        return new LeaseRequest(env.site, auth, new OAuthClientRef.ById(CLIENT_ID), ScopeSet.parse(scopes, "scopes"), Optional.empty(),
                "folder/job#1", "zendesk-admin");
    }

    /** A lease with {@code auth} works (its secret was trimmed) and is revoked; returns what a user could see. */
    private List<Object> leaseAndRevoke(AdminAuth auth) {
        List<Object> seen = new ArrayList<>(List.of(auth));
        try (TokenLease lease = broker.lease(request("tickets:read", auth))) {
            seen.addAll(List.of(lease, ledger.entries()));
            RevocationOutcome outcome = lease.revoke();
            assertThat(outcome.revoked()).as("revoked with the trimmed secret").isTrue();
            seen.add(outcome);
        }
        broker.transport().controlTokens().revokeAll();
        return seen;
    }

    /** Revokes the tokens a scenario left live at Zendesk (an unknown mint outcome, a failed revocation), as reconciliation would. */
    private List<Object> reconciled(List<Object> seen) {
        env.reconcile(api, CLIENT_ID);
        return seen;
    }

    private ZendeskAdminApi apiAs(AdminAuth auth) {
        return env.api(broker.transport(), auth);
    }

    private List<Object> caught(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the scenario must fail").isNotNull();
        return List.of(thrown);
    }

    private static String render(List<Object> produced) {
        StringBuilder text = new StringBuilder();
        for (Object o : produced) {
            if (o instanceof Throwable t) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                text.append(trace).append('\n');
            } else {
                text.append(o).append('\n');
            }
        }
        return text.toString();
    }

}
