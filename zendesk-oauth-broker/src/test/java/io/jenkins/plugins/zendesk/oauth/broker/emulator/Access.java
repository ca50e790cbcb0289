package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import static io.jenkins.plugins.zendesk.oauth.broker.emulator.ApiResponse.MAPPER;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.EmulatorState.User;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * Who may call what: admins (API token, password, admin Bearer token) and tokens acting as an admin with the
 * HTTP method's global scope on admin endpoints; tokens with a resource scope on that resource's endpoints.
 */
final class Access {
    static final String FORBIDDEN_DESCRIPTION = "You do not have access to this page. "
            + "Please contact the account owner of this help desk for further help.";
    static final String INVALID_TOKEN_DESCRIPTION = "The access token provided is expired, revoked, "
            + "malformed or invalid for other reasons.";

    /** An endpoint, given who calls. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request, Matcher path, Caller caller);
    }

    /** An admin endpoint, given the admin the caller acts as. */
    @FunctionalInterface
    interface AdminHandler {
        ApiResponse handle(ApiRequest request, Matcher path, User admin);
    }

    private final EmulatorState state;

    Access(EmulatorState state) {
        this.state = state;
    }

    /**
     * Lets through admins authenticated by API token, password or pre-existing admin Bearer token, and live
     * OAuth tokens (minted by Create Token or the client credentials grant) that act as an admin and hold
     * {@code scope}. Other tokens (e.g. a {@code tickets:read} block token, or one acting as an agent) get 403.
     */
    Handler adminOnly(String scope, AdminHandler handler) {
        return (request, path, caller) -> {
            if (caller instanceof Caller.Staff staff && staff.admin()) {
                return handler.handle(request, path, staff.user());
            }
            if (caller instanceof Caller.TokenHolder holder) {
                // the role is read at request time: a token acts as its user as that user is now
                Optional<User> admin = state.user(holder.token().userId()).filter(u -> u.role() == EmulatorState.Role.ADMIN);
                return admin.isPresent() && grants(holder.token(), scope)
                        ? handler.handle(request, path, admin.get())
                        : forbidden();
            }
            return denied(caller);
        };
    }

    static ApiResponse withScope(Caller caller, Supplier<ApiResponse> action, String... anyOf) {
        if (caller instanceof Caller.Staff) {
            return action.get();
        }
        if (caller instanceof Caller.TokenHolder holder) {
            return grants(holder.token(), anyOf) ? action.get() : forbidden();
        }
        return denied(caller);
    }

    /**
     * Whether a token holds one of {@code anyOf}. A token minted with a scope outside Zendesk's grammar gets 403 on
     * every request, whatever else it holds (OAuth Tokens reference, Create Token: "Zendesk returns a token even for
     * invalid scopes").
     */
    private static boolean grants(IssuedToken token, String... anyOf) {
        return token.scopes().stream().allMatch(ScopeGrammar::isValid) && ScopeGrammar.grantsAny(token.scopes(), anyOf);
    }

    static ApiResponse denied(Caller caller) {
        if (caller instanceof Caller.BadBearer) {
            return ApiResponse.json(401, MAPPER.createObjectNode().put("error", "invalid_token").put("error_description", INVALID_TOKEN_DESCRIPTION));
        }
        if (caller instanceof Caller.Anonymous || caller instanceof Caller.BadCredentials) {
            return ApiResponse.json(401, MAPPER.createObjectNode().put("error", "Couldn't authenticate you"));
        }
        return forbidden();
    }

    private static ApiResponse forbidden() {
        return ApiResponse.error(403, "Forbidden", FORBIDDEN_DESCRIPTION);
    }
}
