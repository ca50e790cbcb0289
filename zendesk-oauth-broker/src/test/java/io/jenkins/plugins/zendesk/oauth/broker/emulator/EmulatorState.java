package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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

    /** An OAuth client; {@code allowedScopes == null} means any scope may be granted. */
    record OAuthClient(long id, String identifier, Set<String> allowedScopes, Instant createdAt) {
        OAuthClient {
            allowedScopes = allowedScopes == null ? null : Set.copyOf(allowedScopes);
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
    private final NavigableMap<Long, OAuthClient> clients = new ConcurrentSkipListMap<>();
    private final NavigableMap<Long, IssuedToken> tokens = new ConcurrentSkipListMap<>();
    private final Map<String, Long> tokenIdsBySecret = new ConcurrentHashMap<>();
    private final AtomicLong nextTokenId = new AtomicLong(FIRST_TOKEN_ID);
    private final SecureRandom random = new SecureRandom();

    private volatile boolean apiTokenAccess = true;
    private volatile boolean passwordAccess = true;
    private volatile boolean acceptInvalidScopes;
    private volatile Pagination clientsPagination = Pagination.CURSOR;

    // ---------------------------------------------------------------- accounts

    void putUser(long id, String email, Role role) {
        Objects.requireNonNull(email, "email");
        users.put(id, new User(id, email, role));
    }

    void addApiToken(long userId, String email, String apiToken) {
        apiTokens.put(Secret.of(email, Objects.requireNonNull(apiToken, "apiToken")), userId);
    }

    void addPassword(long userId, String email, String password) {
        passwords.put(Secret.of(email, Objects.requireNonNull(password, "password")), userId);
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

    void putClient(long id, String identifier, Set<String> allowedScopes) {
        Objects.requireNonNull(identifier, "identifier");
        clients.put(id, new OAuthClient(id, identifier, allowedScopes, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
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

    /** Live tokens, by ascending id. */
    List<IssuedToken> liveTokens() {
        return tokens.values().stream().filter(IssuedToken::live).toList();
    }
}
