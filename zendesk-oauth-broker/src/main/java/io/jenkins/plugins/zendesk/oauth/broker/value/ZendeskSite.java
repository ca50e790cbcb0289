package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated Zendesk site: always {@code https://<subdomain>.zendesk.com}, unless the caller
 * explicitly opts in to {@link HostPolicy#ANY_HOST} (tests, Zendesk-compatible gateways).
 * The admin credential is only ever sent to this exact origin.
 */
public final class ZendeskSite {

    /** Which origins a site may have. */
    public enum HostPolicy {
        /** {@code https://<subdomain>.zendesk.com} only: the default and the only safe choice for real use. */
        ZENDESK_ONLY,
        /** Any http(s) host and port; still no user info, path, query or fragment. Opt-in for tests and gateways. */
        ANY_HOST
    }

    private static final String DOMAIN = ".zendesk.com";
    // DNS label: letters, digits and inner hyphens, 1-63 characters.
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]+|\\[[0-9a-f:.]+\\]");
    private static final String FIX = "enter the subdomain (acme) or the site URL (https://acme.zendesk.com)";

    private final URI baseUri;

    private ZendeskSite(URI baseUri) {
        this.baseUri = baseUri;
    }

    /** Parses a subdomain or site URL with the strict {@link HostPolicy#ZENDESK_ONLY} policy. */
    public static ZendeskSite parse(String input) {
        return parse(input, HostPolicy.ZENDESK_ONLY);
    }

    public static ZendeskSite parse(String input, HostPolicy policy) {
        InputLimits.require(input, InputLimits.SITE, "site", "the Zendesk site");
        String text = input == null ? "" : input.trim();
        if (text.isEmpty()) {
            throw invalid("is empty; " + FIX);
        }
        if (!text.contains("://")) {
            return fromHostText(text.toLowerCase(Locale.ROOT));
        }
        return fromUrl(text, policy);
    }

    private static ZendeskSite fromHostText(String text) {
        String label = text.endsWith(DOMAIN) ? text.substring(0, text.length() - DOMAIN.length()) : text;
        if (!LABEL.matcher(label).matches()) {
            throw invalid("'" + excerpt(text) + "' is not a Zendesk subdomain (letters, digits and hyphens only); " + FIX);
        }
        return new ZendeskSite(URI.create("https://" + label + DOMAIN));
    }

    private static ZendeskSite fromUrl(String text, HostPolicy policy) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("'" + excerpt(text) + "' is not a valid URL; " + FIX);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean anyHost = policy == HostPolicy.ANY_HOST;
        if (!scheme.equals("https") && !(anyHost && scheme.equals("http"))) {
            throw invalid("must use https (got '" + excerpt(scheme) + "'); " + FIX);
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() == null || uri.getRawAuthority().contains("@")) {
            throw invalid("must not contain user information; " + FIX);
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("must be the site root, without path, query or fragment; " + FIX);
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!HOST.matcher(host).matches()) {
            throw invalid("has no valid host; " + FIX);
        }
        if (anyHost) {
            String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
            return new ZendeskSite(URI.create(scheme + "://" + host + port));
        }
        if (uri.getPort() != -1) {
            throw invalid("must not name a port; " + FIX);
        }
        if (!host.endsWith(DOMAIN) || !LABEL.matcher(host.substring(0, host.length() - DOMAIN.length())).matches()) {
            throw invalid("host '" + excerpt(host) + "' is not <subdomain>.zendesk.com; " + FIX);
        }
        return new ZendeskSite(URI.create("https://" + host));
    }

    private static ZendeskInputException invalid(String message) {
        return new ZendeskInputException("site", "the Zendesk site " + message);
    }

    /** Echoes bad input for the fix, but never a pasted secret: token-like runs are masked. */
    private static String excerpt(String s) {
        return Redaction.shown(s);
    }

    /** The origin, e.g. {@code https://acme.zendesk.com}, without a trailing slash. */
    URI baseUri() {
        return baseUri;
    }

    /** Resolves an API path such as {@code /api/v2/oauth/tokens.json} against this site. */
    public URI resolve(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + pathAndQuery);
        }
        return URI.create(baseUri + pathAndQuery);
    }

    /** Whether {@code uri} points at this site's origin (used to refuse following foreign links). */
    public boolean isSameOrigin(URI uri) {
        return uri.getScheme() != null
                && uri.getScheme().equalsIgnoreCase(baseUri.getScheme())
                && uri.getHost() != null
                && uri.getHost().equalsIgnoreCase(baseUri.getHost())
                && uri.getPort() == baseUri.getPort()
                && uri.getRawUserInfo() == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZendeskSite other && baseUri.equals(other.baseUri);
    }

    @Override
    public int hashCode() {
        return baseUri.hashCode();
    }

    @Override
    public String toString() {
        return baseUri.toString();
    }
}
