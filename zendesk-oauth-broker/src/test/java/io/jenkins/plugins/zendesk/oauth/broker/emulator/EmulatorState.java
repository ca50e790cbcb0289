package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The in-memory data of the emulated Zendesk account. Thread-safe. */
final class EmulatorState {

    /** First id handed out to a minted token. */
    static final long FIRST_TOKEN_ID = 9000;

    enum Role {
        ADMIN, AGENT;

        String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record User(long id, String email, Role role) {
        String name() {
            int at = email.indexOf('@');
            return at > 0 ? email.substring(0, at) : email;
        }
    }

    /**
     * What an OAuth client may do. {@code LEGACY}: configured with {@code client(...)}, shown as
     * {@code "kind":"public"}, owned by the first admin, no secret, tokens never expire (the emulator's
     * behaviour before client credentials existed). {@code CONFIDENTIAL}: has a secret, may use the client
     * credentials grant. {@code PUBLIC}: e.g. a browser app, no secret, the grant is refused.
     */
    enum ClientKind {
        LEGACY, CONFIDENTIAL, PUBLIC;

        /** The {@code kind} field of the clients API. */
        String apiName() {
            return this == CONFIDENTIAL ? "confidential" : "public";
        }
    }

    /**
     * An OAuth client.
     *
     * @param allowedScopes {@code null}: any scope may be granted
     * @param secret        the client secret, {@code null} unless confidential; never shown by {@link #toString()}
     * @param ownerUserId   the owning user, {@code null} for legacy clients (then the first admin owns it)
     * @param tokenLifetime how long tokens minted through this client live, {@code null} for never
     */
    record OAuthClient(long id, String identifier, ClientKind kind, String secret, Long ownerUserId,
            Duration tokenLifetime, Set<String> allowedScopes, Instant createdAt) {
        OAuthClient {
            Objects.requireNonNull(identifier, "identifier");
            Objects.requireNonNull(kind, "kind");
            if ((kind == ClientKind.CONFIDENTIAL) != (secret != null)) {
                throw new IllegalArgumentException("a client has a secret if and only if it is confidential");
            }
            if (tokenLifetime != null && (tokenLifetime.isNegative() || tokenLifetime.isZero())) {
                throw new IllegalArgumentException("tokenLifetime must be positive: " + tokenLifetime);
            }
            allowedScopes = allowedScopes == null ? null : Set.copyOf(allowedScopes);
        }

        /** Whether {@code candidate} is this client's secret (constant time, as a server should compare). */
        boolean secretMatches(String candidate) {
            return secret != null && candidate != null && MessageDigest.isEqual(
                    secret.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
        }

        /** Without the secret: it must never show up in a test log. */
        @Override
        public String toString() {
            return "OAuthClient[id=" + id + ", identifier=" + identifier + ", kind=" + kind + ", owner=" + ownerUserId
                    + ", tokenLifetime=" + tokenLifetime + ", allowedScopes=" + allowedScopes + "]";
        }
    }

    private record Secret(String email, String secret) {
        static Secret of(String email, String secret) {
            return new Secret(email.toLowerCase(Locale.ROOT), secret);
        }
    }

    private final Map<Long, User> users = new ConcurrentHashMap<>();
    private final Map<Secret, Long> apiTokens = new ConcurrentHashMap<>();
    private final Map<Secret, Long> passwords = new ConcurrentHashMap<>();
    private final Map<String, Long> adminBearers = new ConcurrentHashMap<>();
    /** {@code email/token:apiToken} and {@code email:password} as configured: the user part of Basic authentication. */
    private final Set<String> basicCredentials = ConcurrentHashMap.newKeySet();
    private final NavigableMap<Long, OAuthClient> clients = new ConcurrentSkipListMap<>();
    private final NavigableMap<Long, IssuedToken> tokens = new ConcurrentSkipListMap<>();
    private final Map<String, Long> tokenIdsBySecret = new ConcurrentHashMap<>();
    private final AtomicLong nextTokenId = new AtomicLong(FIRST_TOKEN_ID);
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger clientCredentialsGrants = new AtomicInteger();
    private final EmulatorClock clock = new EmulatorClock();

    private volatile boolean apiTokenAccess = true;
    private volatile boolean passwordAccess = true;
    // Zendesk "returns a token even for invalid scopes; every request with it then gets 403" (OAuth Tokens
    // reference, Create Token); it has also been seen answering 422 "Requested scopes are invalid" instead.
    private volatile boolean acceptInvalidScopes = true;
    private volatile Pagination clientsPagination = Pagination.CURSOR;
    private volatile Duration defaultGrantLifetime = Duration.ofMinutes(30);
    /** Clients created before 2026-04-30, whose Create Token tokens do not expire (until 2027-04-01). */
    private final Set<Long> neverExpiringClients = ConcurrentHashMap.newKeySet();

    // ---------------------------------------------------------------- time

    /** The emulator's "now"; every time the emulator reads goes through here. */
    Instant now() {
        return clock.now();
    }

    void advanceClock(Duration by) {
        clock.advance(by);
    }

    // ---------------------------------------------------------------- accounts

    void putUser(long id, String email, Role role) {
        Objects.requireNonNull(email, "email");
        users.put(id, new User(id, email, role));
    }

    void addApiToken(long userId, String email, String apiToken) {
        apiTokens.put(Secret.of(email, Objects.requireNonNull(apiToken, "apiToken")), userId);
        basicCredentials.add(email + "/token:" + apiToken);
    }

    void addPassword(long userId, String email, String password) {
        passwords.put(Secret.of(email, Objects.requireNonNull(password, "password")), userId);
        basicCredentials.add(email + ":" + password);
    }

    void addAdminBearer(long userId, String bearerToken) {
        adminBearers.put(Objects.requireNonNull(bearerToken, "bearerToken"), userId);
    }

    Optional<User> user(long id) {
        return Optional.ofNullable(users.get(id));
    }

    /** The lowest admin id, used as owner of OAuth clients. */
    Optional<Long> firstAdminId() {
        return users.values().stream().filter(u -> u.role() == Role.ADMIN).map(User::id).min(Long::compare);
    }

    void apiTokenAccess(boolean enabled) {
        apiTokenAccess = enabled;
    }

    void passwordAccess(boolean enabled) {
        passwordAccess = enabled;
    }

    boolean acceptInvalidScopes() {
        return acceptInvalidScopes;
    }

    void acceptInvalidScopes(boolean accept) {
        acceptInvalidScopes = accept;
    }

    // ---------------------------------------------------------------- authentication

    /** Resolves the {@code Authorization} header of a request made at {@code now}. */
    Caller authenticate(Optional<String> authorization, Instant now) {
        if (authorization.isEmpty()) {
            return new Caller.Anonymous();
        }
        String header = authorization.get().trim();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String credentials = space < 0 ? "" : header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            return basic(credentials);
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return bearer(credentials, now);
        }
        return new Caller.BadCredentials();
    }

    private Caller basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return new Caller.BadCredentials();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new Caller.BadCredentials();
        }
        String username = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        Long userId;
        if (username.endsWith("/token")) {
            String email = username.substring(0, username.length() - "/token".length());
            userId = apiTokenAccess ? apiTokens.get(Secret.of(email, secret)) : null;
        } else {
            userId = passwordAccess ? passwords.get(Secret.of(username, secret)) : null;
        }
        return staff(userId).orElseGet(Caller.BadCredentials::new);
    }

    private Caller bearer(String value, Instant now) {
        Optional<Caller> admin = staff(adminBearers.get(value));
        if (admin.isPresent()) {
            return admin.get();
        }
        Long tokenId = tokenIdsBySecret.get(value);
        IssuedToken token = tokenId == null ? null : tokens.get(tokenId);
        if (token == null || token.revoked() || token.expiredAt(now)) {
            return new Caller.BadBearer();
        }
        return new Caller.TokenHolder(token);
    }

    private Optional<Caller> staff(Long userId) {
        return Optional.ofNullable(userId).map(users::get).map(Caller.Staff::new);
    }

    // ---------------------------------------------------------------- OAuth clients

    /** Adds (or replaces) a legacy client: owned by the first admin, tokens never expire. */
    void putClient(long id, String identifier, Set<String> allowedScopes) {
        putClient(id, identifier, ClientKind.LEGACY, null, null, null, allowedScopes);
    }

    void putClient(long id, String identifier, ClientKind kind, String secret, Long ownerUserId, Duration tokenLifetime,
            Set<String> allowedScopes) {
        clients.put(id, new OAuthClient(id, identifier, kind, secret, ownerUserId, tokenLifetime, allowedScopes,
                now().truncatedTo(ChronoUnit.SECONDS)));
    }

    /**
     * How long a Create Token token of {@code client} lives: its own lifetime, else Zendesk's default
     * for clients ({@link ZendeskEmulator#DEFAULT_TOKEN_LIFETIME}); empty when its tokens never expire.
     */
    Optional<Duration> createTokenLifetime(OAuthClient client) {
        if (neverExpiringClients.contains(client.id())) {
            return Optional.empty();
        }
        return Optional.of(client.tokenLifetime() != null ? client.tokenLifetime() : ZendeskEmulator.DEFAULT_TOKEN_LIFETIME);
    }

    /** Sets a client's token lifetime (an Admin Center setting); {@code null} makes its Create Token tokens never expire. */
    void tokenLifetime(long clientId, Duration lifetime) {
        OAuthClient c = client(clientId).orElseThrow(() -> new IllegalArgumentException("no client " + clientId));
        if (lifetime == null) {
            neverExpiringClients.add(clientId);
        } else {
            neverExpiringClients.remove(clientId);
        }
        clients.put(clientId, new OAuthClient(c.id(), c.identifier(), c.kind(), c.secret(), c.ownerUserId(), lifetime, c.allowedScopes(),
                c.createdAt()));
    }

    /** The client with this unique identifier (what the client credentials grant names), if any. */
    Optional<OAuthClient> clientByIdentifier(String identifier) {
        return clients.values().stream().filter(c -> c.identifier().equals(identifier)).findFirst();
    }

    /** The user owning a client: its configured owner, or for legacy clients the first admin. */
    Optional<Long> ownerOf(OAuthClient client) {
        return client.ownerUserId() != null ? Optional.of(client.ownerUserId()) : firstAdminId();
    }

    Duration defaultGrantLifetime() {
        return defaultGrantLifetime;
    }

    void defaultGrantLifetime(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        defaultGrantLifetime = lifetime;
    }

    void countClientCredentialsGrant() {
        clientCredentialsGrants.incrementAndGet();
    }

    int clientCredentialsGrants() {
        return clientCredentialsGrants.get();
    }

    void resetClientCredentialsGrants() {
        clientCredentialsGrants.set(0);
    }

    Optional<OAuthClient> client(long id) {
        return Optional.ofNullable(clients.get(id));
    }

    /** All clients, by ascending id. */
    List<OAuthClient> clients() {
        return new ArrayList<>(clients.values());
    }

    Pagination clientsPagination() {
        return clientsPagination;
    }

    void clientsPagination(Pagination mode) {
        clientsPagination = Objects.requireNonNull(mode, "mode");
    }

    // ---------------------------------------------------------------- tokens

    /** Creates a live token with a fresh id and a fresh 64-hex-character secret. */
    IssuedToken mint(long clientId, long userId, List<String> scopes, Instant createdAt, Instant expiresAt) {
        long id = nextTokenId.getAndIncrement();
        String secret = newSecret();
        IssuedToken token = new IssuedToken(id, secret, clientId, userId, scopes,
                createdAt.truncatedTo(ChronoUnit.SECONDS),
                expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.SECONDS), false);
        tokens.put(id, token);
        tokenIdsBySecret.put(secret, id);
        return token;
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Revokes a live token; {@code false} when it is unknown or already revoked. Atomic. */
    boolean revoke(long id) {
        AtomicBoolean revokedNow = new AtomicBoolean();
        tokens.computeIfPresent(id, (key, token) -> {
            if (token.revoked()) {
                return token;
            }
            revokedNow.set(true);
            return token.asRevoked();
        });
        return revokedNow.get();
    }

    Optional<IssuedToken> token(long id) {
        return Optional.ofNullable(tokens.get(id));
    }

    /** All tokens ever minted, by ascending id. */
    List<IssuedToken> tokens() {
        return new ArrayList<>(tokens.values());
    }

    /** Every secret of the account: API tokens, passwords, admin bearer tokens, client secrets, minted tokens. */
    List<String> secrets() {
        List<String> all = new ArrayList<>();
        apiTokens.keySet().forEach(s -> all.add(s.secret()));
        passwords.keySet().forEach(s -> all.add(s.secret()));
        all.addAll(adminBearers.keySet());
        clients.values().stream().map(OAuthClient::secret).filter(Objects::nonNull).forEach(all::add);
        tokens.values().forEach(t -> all.add(t.fullToken()));
        return all;
    }

    List<String> basicCredentials() {
        return List.copyOf(basicCredentials);
    }

    /** Live tokens, by ascending id. */
    List<IssuedToken> liveTokens() {
        return tokens.values().stream().filter(IssuedToken::live).toList();
    }

    /** Live tokens that have not expired at {@link #now()}, by ascending id. */
    List<IssuedToken> usableTokens() {
        Instant now = now();
        return tokens.values().stream().filter(t -> t.live() && !t.expiredAt(now)).toList();
    }
}
