package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A stateful, in-process emulation of the Zendesk Support API's OAuth token endpoints, served over
 * plain HTTP on a dynamic loopback port by WireMock. It is an independent implementation of Zendesk's
 * behaviour (it uses no production class), so tests can prove against it that every minted token gets
 * revoked: {@code assertThat(zendesk.liveTokenCount()).isZero()}.
 *
 * <h2>Endpoints</h2>
 * All paths work with and without the {@code .json} suffix. Errors are Zendesk-shaped JSON
 * ({@code {"error": ..., "description": ...}}, {@code application/json; charset=utf-8}); redirects are
 * never issued; anything unknown is {@code 404 {"error":"InvalidEndpoint"}}.
 * <ul>
 *   <li>{@code POST /api/v2/oauth/tokens.json} (admin): body
 *       {@code {"token":{"client_id":50328,"scopes":["tickets:read"],"expires_at":"2030-01-01T00:00:00Z"}}}
 *       ({@code client_id} a number or numeric string; {@code expires_at} optional) &rarr; {@code 201
 *       {"token":{"id","url","user_id","client_id","token","full_token","scopes","created_at","expires_at",
 *       "used_at","refresh_token","refresh_token_expires_at"}}}. Token ids start at 9000 and increase;
 *       {@code full_token} is 64 random hex characters, {@code token} its first 10.
 *       {@code 422}: unknown client ({@code RecordInvalid}, {@code details.client}), blank scopes
 *       ({@code RecordInvalid}, {@code details.scopes}), invalid scopes ({@code InvalidValue}, "Requested
 *       scopes are invalid. Invalid scopes: chat, tickts:read"), scopes the client does not allow
 *       ({@code InvalidValue}, "... Disallowed scopes: ..."), unparsable {@code expires_at}.
 *       {@code 400} for a body that is not JSON or has no {@code token} object.</li>
 *   <li>{@code DELETE /api/v2/oauth/tokens/{id}.json} (admin) &rarr; {@code 204}, or
 *       {@code 404 {"error":"RecordNotFound","description":"Not found"}} if unknown or already revoked.</li>
 *   <li>{@code DELETE /api/v2/oauth/tokens/current.json} with a minted Bearer token &rarr; revokes that token, {@code 204}.</li>
 *   <li>{@code GET /api/v2/oauth/tokens/{id}.json} (admin) &rarr; the live token without {@code full_token}, or 404.</li>
 *   <li>{@code GET /api/v2/oauth/tokens.json?client_id=&all=&per_page=&page=} (admin) &rarr; live tokens
 *       (of the caller only unless {@code all=true}; of one client if {@code client_id} is given) without
 *       {@code full_token}, with offset pagination: {@code next_page}, {@code previous_page}, {@code count}.</li>
 *   <li>{@code GET /api/v2/oauth/clients.json} (admin) &rarr; the clients by ascending id, paginated as set by
 *       {@link #clientsPagination(Pagination)}. {@code GET /api/v2/oauth/clients/{id}.json} shows one.</li>
 *   <li>{@code GET /api/v2/users/me.json} &rarr; the caller ({@code role} {@code "admin"} or {@code "agent"});
 *       a minted Bearer token needs scope {@code read} or {@code users:read} (else 403); without or with
 *       unknown credentials: {@code 200} with the anonymous user ({@code "id": null,
 *       "name": "Anonymous user"}), as Zendesk does.</li>
 *   <li>Sample endpoints proving a minted token works: {@code GET /api/v2/tickets.json} needs {@code read}
 *       or {@code tickets:read} ({@code 200 {"tickets":[]}}); {@code POST /api/v2/tickets.json} needs
 *       {@code write} or {@code tickets:write} ({@code 201 {"ticket":{"id":1}}}). Admins and agents
 *       authenticated otherwise are always let through.</li>
 * </ul>
 *
 * <h2>Authentication</h2>
 * {@code Authorization: Basic base64(email/token:apiToken)} (see {@link #admin}, {@link #agent}),
 * {@code Basic base64(email:password)} ({@link #adminWithPassword}), {@code Bearer x} where {@code x} is
 * a pre-existing admin token ({@link #adminBearer}) or a live, unexpired minted token. Emails are
 * case-insensitive. On the admin endpoints: no or unknown Basic credentials &rarr;
 * {@code 401 {"error":"Couldn't authenticate you"}}; an unknown, revoked or expired Bearer token &rarr;
 * {@code 401 {"error":"invalid_token","error_description":...}}; an agent or a minted token &rarr;
 * {@code 403 {"error":"Forbidden",...}}.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe; the server answers many requests concurrently (up to
 * {@value #CONTAINER_THREADS} Jetty threads). Configure accounts and clients before the code under test
 * runs; they may also be added while it runs.
 *
 * <pre>{@code
 * try (ZendeskEmulator zendesk = ZendeskEmulator.start()
 *         .admin(1, "admin@example.com", "api-token")
 *         .client(50328, "jenkins")) {
 *     // ... code under test talks to zendesk.baseUrl() ...
 *     assertThat(zendesk.liveTokenCount()).isZero();
 * }
 * }</pre>
 */
public final class ZendeskEmulator implements AutoCloseable {

    /** Maximum number of Jetty threads, hence of requests handled at once. */
    public static final int CONTAINER_THREADS = 200;

    private final EmulatorState state = new EmulatorState();
    private final Traffic traffic = new Traffic();
    private final EmulatorTransformer transformer;
    private final WireMockServer server;
    private final String baseUrl;

    private ZendeskEmulator() {
        ZendeskApi api = new ZendeskApi(state, this::baseUrl);
        transformer = new EmulatorTransformer(api, traffic);
        server = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .bindAddress("localhost")
                .http2PlainDisabled(true)
                .gzipDisabled(true)
                .containerThreads(CONTAINER_THREADS)
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .notifier(new ConsoleNotifier(false))
                .extensions(transformer));
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(EmulatorTransformer.NAME)));
        server.start();
        baseUrl = "http://localhost:" + server.port();
    }

    /** Starts a new emulator on a dynamic loopback port (plain HTTP, HTTP/1.1). Close it when done. */
    public static ZendeskEmulator start() {
        return new ZendeskEmulator();
    }

    /** The root URL, without trailing slash, e.g. {@code http://localhost:41234}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The HTTP port. */
    public int port() {
        return server.port();
    }

    // ---------------------------------------------------------------- accounts

    /**
     * Adds (or updates) an admin who authenticates with {@code Basic base64("{email}/token:{apiToken}")}.
     * Calling several account methods with the same {@code userId} adds credentials to one user.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator admin(long userId, String email, String apiToken) {
        state.putUser(userId, email, Role.ADMIN);
        state.addApiToken(userId, email, apiToken);
        return this;
    }

    /**
     * Adds (or updates) an admin who authenticates with {@code Basic base64("{email}:{password}")}.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator adminWithPassword(long userId, String email, String password) {
        state.putUser(userId, email, Role.ADMIN);
        state.addPassword(userId, email, password);
        return this;
    }

    /**
     * Adds (or updates) an admin who authenticates with {@code Authorization: Bearer <bearerToken>}: a
     * pre-existing admin OAuth token, which is <em>not</em> counted among the minted tokens
     * ({@link #liveTokenCount()}, {@link #issuedTokens()}) and cannot be revoked through the API.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator adminBearer(long userId, String email, String bearerToken) {
        state.putUser(userId, email, Role.ADMIN);
        state.addAdminBearer(userId, bearerToken);
        return this;
    }

    /**
     * Adds (or updates) a non-admin agent with an API token: it authenticates (e.g. {@code users/me}
     * answers {@code "role":"agent"}) but gets {@code 403 Forbidden} on every OAuth endpoint.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator agent(long userId, String email, String apiToken) {
        state.putUser(userId, email, Role.AGENT);
        state.addApiToken(userId, email, apiToken);
        return this;
    }

    /**
     * Turns API token access on or off (on by default here; new Zendesk accounts have it off). When off,
     * every {@code Basic "{email}/token:..."} request gets {@code 401 {"error":"Couldn't authenticate you"}},
     * even with a right token.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator apiTokenAccessEnabled(boolean enabled) {
        state.apiTokenAccess(enabled);
        return this;
    }

    /**
     * Turns password access on or off (on by default here). When off, every {@code Basic "{email}:{password}"}
     * request gets {@code 401}.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator passwordAccessEnabled(boolean enabled) {
        state.passwordAccess(enabled);
        return this;
    }

    /**
     * When {@code true}, the mint endpoint accepts scopes outside Zendesk's grammar (e.g. {@code chat})
     * instead of answering 422; such scopes then grant nothing. Off by default.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator acceptInvalidScopes(boolean accept) {
        state.acceptInvalidScopes(accept);
        return this;
    }

    // ---------------------------------------------------------------- OAuth clients

    /**
     * Adds (or replaces) an OAuth client for which tokens of any valid scopes may be minted.
     *
     * @param id         the client id ({@code client_id} of the mint request)
     * @param identifier the client's unique identifier (its "name" in the API is {@code "Emulated " + identifier})
     * @return this, for chaining
     */
    public ZendeskEmulator client(long id, String identifier) {
        state.putClient(id, identifier, null);
        return this;
    }

    /**
     * Adds (or replaces) an OAuth client for which tokens may only get scopes within {@code allowedScopes};
     * a listed global {@code read} / {@code write} also allows every {@code <resource>:read} /
     * {@code <resource>:write}. Other scopes get {@code 422 {"error":"InvalidValue","description":
     * "Requested scopes are not allowed for this OAuth client. Disallowed scopes: ..."}}.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator client(long id, String identifier, Set<String> allowedScopes) {
        state.putClient(id, identifier, Set.copyOf(allowedScopes));
        return this;
    }

    /**
     * Sets how {@code GET /api/v2/oauth/clients.json} paginates: {@link Pagination#CURSOR} (default) or
     * {@link Pagination#OFFSET}. In cursor mode, {@code page[size]} outside 1..100 or a bad cursor is
     * {@code 400 {"error":"InvalidPaginationParameter"}}.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator clientsPagination(Pagination mode) {
        state.clientsPagination(mode);
        return this;
    }

    // ---------------------------------------------------------------- inspection

    /** The number of minted tokens not revoked (expired but unrevoked tokens count as live). */
    public int liveTokenCount() {
        return state.liveTokens().size();
    }

    /** The ids of the minted tokens not revoked, ascending. */
    public Set<Long> liveTokenIds() {
        return state.liveTokens().stream().map(IssuedToken::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The current state of a minted token (revoked ones included), if it was ever minted. */
    public Optional<IssuedToken> token(long id) {
        return state.token(id);
    }

    /** Every token ever minted (through the API or {@link #mintExternally}), revoked ones included, by id. */
    public List<IssuedToken> issuedTokens() {
        return state.tokens();
    }

    /**
     * The number of requests received (whether answered normally, with a fault, or not at all), since
     * start or {@link #resetCounters()}.
     *
     * @param method     HTTP method, case-insensitive; {@code null} or {@code "*"} for any
     * @param pathPrefix prefix of the path (query string excluded), e.g. {@code "/api/v2/oauth/clients"}
     */
    public int requestCount(String method, String pathPrefix) {
        return traffic.count(method, pathPrefix);
    }

    /** The highest number of requests in flight at once (latency and delays included), since start or {@link #resetCounters()}. */
    public int maxConcurrentRequests() {
        return traffic.peak();
    }

    /** Clears the request counts and the concurrency peak. Tokens, accounts and faults are kept. */
    public void resetCounters() {
        traffic.reset();
    }

    /**
     * Records a live token created "by someone else" (not through this emulator's HTTP API), e.g. for
     * reconciliation tests. The client and user need not be configured. The token works as a Bearer token.
     *
     * @param createdAt its creation time (truncated to seconds)
     * @return the new token
     */
    public IssuedToken mintExternally(long clientId, long userId, List<String> scopes, Instant createdAt) {
        return mintExternally(clientId, userId, scopes, createdAt, null);
    }

    /**
     * Like {@link #mintExternally(long, long, List, Instant)} with an expiry.
     *
     * @param expiresAt expiry time, or {@code null} for none
     * @return the new token
     */
    public IssuedToken mintExternally(long clientId, long userId, List<String> scopes, Instant createdAt,
            Instant expiresAt) {
        return state.mint(clientId, userId, scopes, createdAt, expiresAt);
    }

    /**
     * Revokes a token "from outside" (as a Zendesk admin in the web UI would).
     *
     * @return {@code false} if the token is unknown or already revoked
     */
    public boolean revokeExternally(long tokenId) {
        return state.revoke(tokenId);
    }

    // ---------------------------------------------------------------- faults & latency

    /** Adds a fixed delay before every request is handled ({@link Duration#ZERO} by default). */
    public void latency(Duration perRequest) {
        transformer.latency(perRequest);
    }

    /**
     * Arms a fault: the next {@code times} requests whose method and path match get {@code fault} instead
     * of (or, for the "process" faults, after) normal handling. Plans are tried in the order they were
     * armed; the first matching plan with uses left applies. Matching requests are still counted by
     * {@link #requestCount}.
     *
     * @param method     HTTP method, case-insensitive; {@code null} or {@code "*"} for any
     * @param pathPrefix prefix of the path (query excluded), e.g. {@code "/api/v2/oauth/tokens"} (which also
     *                   matches {@code /api/v2/oauth/tokens/9000.json}); {@code ""} for any
     * @return a handle telling how many uses are {@link FaultPlan#remaining() remaining}
     */
    public FaultPlan failNext(String method, String pathPrefix, int times, Fault fault) {
        return transformer.addFaultPlan(new FaultPlan(method, pathPrefix, times, fault));
    }

    /** Disarms every pending fault. */
    public void clearFaults() {
        transformer.clearFaultPlans();
    }

    /** Stops the server, first ending any pending {@link #latency} or {@link Fault#delay} wait. Idempotent. */
    @Override
    public void close() {
        transformer.close();
        if (server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public String toString() {
        return "ZendeskEmulator[" + baseUrl + ", live tokens=" + liveTokenCount() + "]";
    }
}
