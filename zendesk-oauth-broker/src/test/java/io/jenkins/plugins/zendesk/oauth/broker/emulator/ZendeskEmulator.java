package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
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
 *   <li>{@code POST /oauth/tokens} (not under {@code /api/v2}; no authentication header needed): the OAuth
 *       <em>client credentials grant</em>. Body JSON {@code {"grant_type":"client_credentials","client_id":
 *       "<the client's unique identifier>","client_secret":"...","scope":"read write","expires_in":900}} or the
 *       same fields {@code application/x-www-form-urlencoded} ({@code scope} one space-separated string;
 *       {@code expires_in} optional, more than 300 and less than 172800 seconds). Tolerated although Zendesk's
 *       docs are silent: a form body without {@code Content-Type}, and the client credentials as HTTP Basic
 *       (RFC 6749 §2.3.1) when the body has neither. &rarr; {@code 201 {"access_token":"<64 hex>",
 *       "token_type":"bearer","scope":"read write","expires_in":900}} (no refresh token, no id). Without
 *       {@code expires_in} the token lives the client's token lifetime, or {@link #defaultGrantLifetime} when
 *       the client has none. The token is recorded like a minted one (client id = the client's numeric id,
 *       user = the client's owner; it counts in {@link #liveTokenCount()}, is listed and can be revoked by
 *       id) and acts as the owner admin. Errors, as {@code {"error":...,"error_description":...}}: {@code 401
 *       invalid_client} (unknown identifier, wrong or missing secret: one answer for both);
 *       {@code 400 unauthorized_client} (a public or legacy client; the docs only say "confidential clients
 *       only"); {@code 400 invalid_request} (no {@code grant_type}, a body that is neither JSON nor a form,
 *       {@code expires_in} out of bounds or not an integer); {@code 400 unsupported_grant_type};
 *       {@code 400 invalid_scope} (missing or blank scope, a scope outside Zendesk's grammar, outside the
 *       client's allowed scopes, or a {@code scope} that is not a string). Counted by
 *       {@link #clientCredentialsGrants()} when successful.</li>
 *   <li>{@code POST /api/v2/oauth/tokens.json} (admin; an OAuth token needs {@code write}): body
 *       {@code {"token":{"client_id":50328,"scopes":["tickets:read"]}}} ({@code client_id} a number or
 *       numeric string) &rarr; {@code 201
 *       {"token":{"id","url","user_id","client_id","token","full_token","scopes","created_at","expires_at",
 *       "used_at","refresh_token","refresh_token_expires_at"}}}. Token ids start at 9000 and increase;
 *       {@code full_token} is 64 random hex characters, {@code token} its first 10. An {@code expires_at} in
 *       the body is ignored ({@code token.expires_at} is read-only per the docs); the token's
 *       {@code expires_at} is now plus the client's token lifetime ({@link #DEFAULT_TOKEN_LIFETIME} unless set
 *       with {@link #tokenLifetime}), {@code null} only for a client set with {@link #tokensNeverExpire}.
 *       Scopes outside Zendesk's grammar still yield a token, which gets 403 on every request (see
 *       {@link #acceptInvalidScopes}). {@code 422}: unknown client ({@code RecordInvalid}, {@code details.client}),
 *       blank scopes ({@code RecordInvalid}, {@code details.scopes}), invalid scopes when
 *       {@link #acceptInvalidScopes} is off ({@code InvalidValue}, "Requested scopes are invalid. Invalid scopes:
 *       chat, tickts:read"). {@code 400 {"error":"invalid_scope","error_description":"... Disallowed scopes: ..."}}
 *       for scopes outside the client's allowed scopes. {@code 400} for a body that is not JSON or has no
 *       {@code token} object.</li>
 *   <li>{@code GET /api/v2/oauth/tokens/current.json} with a live, unexpired OAuth token as Bearer (no scope
 *       needed) &rarr; {@code 200 {"token":{"id","url","user_id","client_id","token","scopes","created_at",
 *       "expires_at","used_at":null,...}}} without {@code full_token}; an admin authenticated otherwise gets
 *       {@code 404} (there is no current token; the docs are silent).</li>
 *   <li>{@code DELETE /api/v2/oauth/tokens/{id}.json} (admin; an OAuth token needs {@code write}) &rarr; {@code 204}, or
 *       {@code 404 {"error":"RecordNotFound","description":"Not found"}} if unknown or already revoked.</li>
 *   <li>{@code DELETE /api/v2/oauth/tokens/current.json} with a minted Bearer token &rarr; revokes that token, {@code 204}.</li>
 *   <li>{@code GET /api/v2/oauth/tokens/{id}.json} (admin; an OAuth token needs {@code read}) &rarr; the live
 *       token without {@code full_token}, or 404.</li>
 *   <li>{@code GET /api/v2/oauth/tokens.json?client_id=&all=&include_expired=} (admin; {@code read}) &rarr; live,
 *       unexpired tokens (expired ones too with {@code include_expired=true}; of the caller only unless
 *       {@code all=true}; of one client if {@code client_id} is given) by ascending id, without {@code full_token}.
 *       Cursor pagination with {@code page[size]} / {@code page[after]} / {@code page[before]} as for clients;
 *       without them, offset pagination ({@code per_page}, {@code page}: {@code next_page}, {@code previous_page},
 *       {@code count}), which answers {@code 400} past page 100.</li>
 *   <li>{@code GET /api/v2/oauth/clients.json} (admin; {@code read}) &rarr; the clients by ascending id, paginated
 *       as set by {@link #clientsPagination(Pagination)}, with {@code kind} {@code "confidential"} or
 *       {@code "public"} (clients of {@link #client} show {@code "public"}) and {@code user_id} the owner (the
 *       first admin for clients of {@link #client}); never a secret. {@code GET /api/v2/oauth/clients/{id}.json}
 *       shows one.</li>
 *   <li>{@code GET /api/v2/users/me.json} &rarr; the caller ({@code role} {@code "admin"} or {@code "agent"});
 *       a minted Bearer token (client credentials tokens included: they answer the client's owner) needs
 *       scope {@code read} or {@code users:read} (else 403); an unknown, revoked or expired Bearer token gets
 *       {@code 401 invalid_token}; without or with unknown Basic credentials: {@code 200} with the anonymous
 *       user ({@code "id": null, "name": "Anonymous user"}), as Zendesk does.</li>
 *   <li>Sample endpoints proving a minted token works: {@code GET /api/v2/tickets.json} needs {@code read}
 *       or {@code tickets:read} ({@code 200 {"tickets":[]}}); {@code POST /api/v2/tickets.json} needs
 *       {@code write} or {@code tickets:write} ({@code 201 {"ticket":{"id":1}}}). Admins and agents
 *       authenticated otherwise are always let through.</li>
 * </ul>
 *
 * <h2>Authentication</h2>
 * {@code Authorization: Basic base64(email/token:apiToken)} (see {@link #admin}, {@link #agent}),
 * {@code Basic base64(email:password)} ({@link #adminWithPassword}), {@code Bearer x} where {@code x} is
 * a pre-existing admin token ({@link #adminBearer}) or a live, unexpired OAuth token (minted by Create Token,
 * by the client credentials grant, or {@link #mintExternally}). Emails are case-insensitive. On the admin
 * endpoints (token and client endpoints): no or unknown Basic credentials &rarr;
 * {@code 401 {"error":"Couldn't authenticate you"}}; an unknown, revoked or expired Bearer token &rarr;
 * {@code 401 {"error":"invalid_token","error_description":...}} (on every endpoint); an agent &rarr;
 * {@code 403 {"error":"Forbidden",...}}. An OAuth token passes when its user is a configured admin (as the
 * user is at request time) and it holds the global scope of the method: {@code read} for GET, {@code write}
 * for POST and DELETE (so a client credentials token with {@code "read write"} can mint, list and revoke);
 * otherwise (e.g. a {@code tickets:read} token, or a token acting as an agent or an unconfigured user)
 * {@code 403}.
 *
 * <h2>Time</h2>
 * The emulator's "now" is the system clock plus an offset that {@link #advanceClock} moves forward, so tests
 * make tokens expire without waiting. Creation times, expiry times and expiry checks all use it. An expired
 * token stays live (a Zendesk record exists until revoked): {@link #liveTokenCount()} counts it,
 * {@link #usableTokenCount()} does not.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe; the server answers many requests concurrently (up to
 * {@value #CONTAINER_THREADS} Jetty threads). Configure accounts and clients before the code under test
 * runs; they may also be added while it runs.
 *
 * <pre>{@code
 * try (ZendeskEmulator zendesk = ZendeskEmulator.start()
 *         .admin(1, "admin@example.com", "api-token")
 *         .client(50328, "jenkins")
 *         .confidentialClient(50329, "jenkins_robot", "s3cret", 1, Duration.ofMinutes(30))) {
 *     // ... code under test talks to zendesk.baseUrl() ...
 *     assertThat(zendesk.liveTokenCount()).isZero();
 * }
 * }</pre>
 */
public final class ZendeskEmulator implements AutoCloseable {

    /** Maximum number of Jetty threads, hence of requests handled at once. */
    public static final int CONTAINER_THREADS = 200;

    /**
     * How long Create Token tokens live unless the client's lifetime is set: Zendesk's default for OAuth
     * clients created since 2026-04-30, which applies to every client from 2027-04-01 (Zendesk's
     * token-lifetime announcement; {@code expires_at} of the token record in Zendesk's OpenAPI 2026).
     */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(30);
    /** The shortest token lifetime an admin can set for a client in Admin Center. */
    public static final Duration MIN_TOKEN_LIFETIME = Duration.ofMinutes(5);
    /** The longest token lifetime an admin can set for a client in Admin Center. */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(48);

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
     * When {@code true} (the default, as Zendesk documents for Create Token), the mint endpoint accepts scopes
     * outside Zendesk's grammar (e.g. {@code chat}) and the token then gets 403 on every request; when
     * {@code false}, it answers 422 "Requested scopes are invalid" instead, as Zendesk has also been seen doing.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator acceptInvalidScopes(boolean accept) {
        state.acceptInvalidScopes(accept);
        return this;
    }

    // ---------------------------------------------------------------- OAuth clients

    /**
     * Adds (or replaces) a legacy OAuth client for which tokens of any valid scopes may be minted with Create
     * Token; they live {@link #DEFAULT_TOKEN_LIFETIME} (see {@link #tokenLifetime}, {@link #tokensNeverExpire}). It shows as {@code "kind":"public"}, owned by the
     * first admin, and cannot use the client credentials grant ({@code 400 unauthorized_client}).
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
     * {@code <resource>:write}. Other scopes get {@code 400 {"error":"invalid_scope","error_description":
     * "The requested scope is not allowed for this OAuth client. Disallowed scopes: ..."}}.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator client(long id, String identifier, Set<String> allowedScopes) {
        state.putClient(id, identifier, Set.copyOf(allowedScopes));
        return this;
    }

    /**
     * Adds (or replaces) a confidential OAuth client, which may use the client credentials grant
     * ({@code POST /oauth/tokens}) and for which any valid scope may be granted.
     *
     * @param id            the client's numeric id (the {@code client_id} of Create Token)
     * @param identifier    the client's unique identifier (the {@code client_id} of the grant)
     * @param secret        the client secret; it never appears in any answer or {@code toString}
     * @param ownerUserId   the admin who owns the client (configure it with {@link #admin} or another admin
     *                      method); its tokens act as that user. An owner that is not a configured admin at
     *                      request time makes its tokens get 403 on admin endpoints.
     * @param tokenLifetime how long tokens minted through this client (grant or Create Token) live;
     *                      {@code null}: Create Token tokens live {@link #DEFAULT_TOKEN_LIFETIME} and grant
     *                      tokens without {@code expires_in} live {@link #defaultGrantLifetime}
     * @return this, for chaining
     */
    public ZendeskEmulator confidentialClient(long id, String identifier, String secret, long ownerUserId,
            Duration tokenLifetime) {
        state.putClient(id, identifier, EmulatorState.ClientKind.CONFIDENTIAL, Objects.requireNonNull(secret, "secret"),
                ownerUserId, tokenLifetime, null);
        return this;
    }

    /**
     * Like {@link #confidentialClient(long, String, String, long, Duration)}, limited to {@code allowedScopes}
     * (Zendesk's "allowed scopes" Admin Center setting): the grant answers {@code 400 invalid_scope}, Create
     * Token {@code 400 invalid_scope} too, for other scopes. A listed {@code read} / {@code write} also allows every
     * {@code <resource>:read} / {@code <resource>:write}.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator confidentialClient(long id, String identifier, String secret, long ownerUserId,
            Duration tokenLifetime, Set<String> allowedScopes) {
        state.putClient(id, identifier, EmulatorState.ClientKind.CONFIDENTIAL, Objects.requireNonNull(secret, "secret"),
                ownerUserId, tokenLifetime, Set.copyOf(allowedScopes));
        return this;
    }

    /**
     * Adds (or replaces) a public OAuth client (e.g. a browser app): the client credentials grant answers
     * {@code 400 unauthorized_client}; Create Token works for it as for any client.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator publicClient(long id, String identifier, long ownerUserId) {
        state.putClient(id, identifier, EmulatorState.ClientKind.PUBLIC, null, ownerUserId, null, null);
        return this;
    }

    /**
     * Sets a client's token lifetime, as an admin does in Admin Center (the API can neither read nor set
     * it): Create Token and grant tokens without {@code expires_in} then live {@code lifetime}.
     *
     * @param lifetime from {@link #MIN_TOKEN_LIFETIME} to {@link #MAX_TOKEN_LIFETIME}, as Zendesk allows
     * @return this, for chaining
     */
    public ZendeskEmulator tokenLifetime(long clientId, Duration lifetime) {
        if (lifetime.compareTo(MIN_TOKEN_LIFETIME) < 0 || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            throw new IllegalArgumentException("Zendesk allows token lifetimes from 5 minutes to 48 hours, not " + lifetime
                    + "; tests that need shorter use tokenLifetimeForTestsOnly");
        }
        state.tokenLifetime(clientId, lifetime);
        return this;
    }

    /**
     * Like {@link #tokenLifetime}, for tests only: allows lifetimes shorter than Zendesk's 5 minutes (e.g.
     * 60 s), for tests that let real time pass instead of moving the clock. Zendesk has no such setting.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator tokenLifetimeForTestsOnly(long clientId, Duration lifetime) {
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            throw new IllegalArgumentException("test token lifetimes range from 1 second to 48 hours, not " + lifetime);
        }
        state.tokenLifetime(clientId, lifetime);
        return this;
    }

    /**
     * Makes a client's Create Token tokens never expire ({@code expires_at: null}), as for clients created
     * before 2026-04-30 until Zendesk expires every client's tokens (2027-04-01). Grant tokens keep their lifetime.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator tokensNeverExpire(long clientId) {
        state.tokenLifetime(clientId, null);
        return this;
    }

    /**
     * The lifetime of client credentials tokens when the request has no {@code expires_in} and the client has
     * no token lifetime of its own (Zendesk: 30 minutes by default for new clients). Default 30 minutes.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator defaultGrantLifetime(Duration lifetime) {
        state.defaultGrantLifetime(lifetime);
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

    // ---------------------------------------------------------------- time

    /**
     * Moves the emulator's clock forward by {@code by} (zero or positive), at once: tokens whose
     * {@code expires_at} is then reached answer {@code 401 invalid_token}. Thread-safe; cumulative.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator advanceClock(Duration by) {
        state.advanceClock(by);
        return this;
    }

    /** The emulator's "now": the system clock plus every {@link #advanceClock} so far. */
    public Instant now() {
        return state.now();
    }

    // ---------------------------------------------------------------- rate limit

    /**
     * Turns on Zendesk's account-wide rate limit: {@code requests} per {@code window} (Zendesk: 200 to 2,500 a
     * minute by plan), counted over fixed windows on the emulator's clock, for every request whatever its
     * credential. Every answer then carries {@code X-Rate-Limit} and {@code X-Rate-Limit-Remaining}; list
     * endpoints ({@code GET /api/v2/oauth/tokens.json}, {@code GET /api/v2/oauth/clients.json}) also
     * {@code ratelimit-limit}, {@code ratelimit-remaining} and {@code ratelimit-reset}; past the limit the
     * answer is {@code 429} with {@code Retry-After} (whole seconds until the window ends) and the request is
     * not processed. Off by default. The first window starts now.
     *
     * @return this, for chaining
     */
    public ZendeskEmulator rateLimit(int requests, Duration window) {
        transformer.rateLimit(new RateLimit(requests, window, state::now));
        return this;
    }

    /** Uses up {@code requests} of the current window, as the account's other integrations would. */
    public void consumeRateLimit(int requests) {
        requireRateLimit().consume(requests);
    }

    /** The 429 answers the rate limit has given (not those of {@link #failNext}). */
    public int rateLimitedAnswers() {
        RateLimit limit = transformer.rateLimit();
        return limit == null ? 0 : limit.refused();
    }

    /** When the current rate limit window ends, on the emulator's clock. */
    public Instant rateLimitWindowEnd() {
        return requireRateLimit().windowEnd();
    }

    private RateLimit requireRateLimit() {
        RateLimit limit = transformer.rateLimit();
        if (limit == null) {
            throw new IllegalStateException("no rate limit set; call rateLimit(requests, window) first");
        }
        return limit;
    }

    /** {@link #now()} as a {@link Clock} (UTC), for code under test that must share the emulator's time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the emulator's clock is UTC");
            }

            @Override
            public Instant instant() {
                return state.now();
            }
        };
    }

    // ---------------------------------------------------------------- inspection

    /** The number of minted tokens not revoked (expired but unrevoked tokens count as live). */
    public int liveTokenCount() {
        return state.liveTokens().size();
    }

    /** The number of minted tokens neither revoked nor expired at {@link #now()}: those that still work. */
    public int usableTokenCount() {
        return state.usableTokens().size();
    }

    /** Successful client credentials grants ({@code POST /oauth/tokens}) since start or {@link #resetCounters()}. */
    public int clientCredentialsGrants() {
        return state.clientCredentialsGrants();
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
     * Every secret this account knows: API tokens, passwords, admin bearer tokens, client secrets and
     * every token minted so far (control tokens included). None may ever show in a log, file or page.
     */
    public List<String> secrets() {
        return state.secrets();
    }

    /**
     * The user parts of Basic authentication, {@code email/token:apiToken} and {@code email:password}, as
     * configured: their Base64 form travels in a header and must never show either.
     */
    public List<String> basicCredentials() {
        return state.basicCredentials();
    }

    /**
     * The number of requests received (whether answered normally, with a fault, or not at all), since
     * start or {@link #resetCounters()}.
     *
     * @param method     HTTP method, case-insensitive; {@code null} or {@code "*"} for any
     * @param pathPrefix prefix of the path (query string excluded), e.g. {@code "/api/v2/oauth/clients"}, or
     *                   {@code "/oauth/tokens"} for the client credentials grant (which
     *                   {@code "/api/v2/oauth/tokens"} does not match)
     */
    public int requestCount(String method, String pathPrefix) {
        return traffic.count(method, pathPrefix);
    }

    /** The highest number of requests in flight at once (latency and delays included), since start or {@link #resetCounters()}. */
    public int maxConcurrentRequests() {
        return traffic.peak();
    }

    /**
     * Clears the request counts, the concurrency peak and {@link #clientCredentialsGrants()}. Tokens, accounts,
     * faults and the clock are kept.
     */
    public void resetCounters() {
        traffic.reset();
        state.resetClientCredentialsGrants();
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
     *                   matches {@code /api/v2/oauth/tokens/9000.json}), {@code "/oauth/tokens"} for the client
     *                   credentials grant; {@code ""} for any
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
