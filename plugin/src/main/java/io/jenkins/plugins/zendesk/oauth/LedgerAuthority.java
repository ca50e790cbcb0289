package io.jenkins.plugins.zendesk.oauth;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The ledger authority of a lease: where the sweeper finds the admin credential again. Written by
 * the binding when it mints, read by {@link ZendeskBrokerService} when it sweeps. Format (version 1):
 * {@code jenkins:<credentialsId>@<itemFullName>}, both parts URL-encoded (UTF-8) so that neither can
 * contain {@code @}. The sweeper looks the item up with {@code Jenkins.get().getItemByFullName(itemFullName)}
 * and the credential in that item's context as SYSTEM ({@link SecretTextResolver#forItemAsSystem}),
 * and refuses it unless its site equals the ledger entry's site.
 *
 * @param credentialsId the admin credential's id
 * @param itemFullName  full name of the job whose run minted the token, e.g. {@code folder/job}
 */
public record LedgerAuthority(@NonNull String credentialsId, @NonNull String itemFullName) {
    private static final String PREFIX = "jenkins:";
    /** Ids and full names are short; an edited ledger's longer text is not decoded at all. */
    private static final int MAX_LENGTH = 4096;

    /** The text stored in the ledger. */
    @NonNull
    public String format() {
        return PREFIX + URLEncoder.encode(credentialsId, StandardCharsets.UTF_8) + "@" + URLEncoder.encode(itemFullName, StandardCharsets.UTF_8);
    }

    /** Parses {@link #format()}; empty for anything else (e.g. an edited ledger). */
    @NonNull
    public static Optional<LedgerAuthority> parse(@CheckForNull String authority) {
        if (authority == null || authority.length() > MAX_LENGTH || !authority.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = authority.substring(PREFIX.length());
        int at = rest.indexOf('@');
        if (at <= 0 || at != rest.lastIndexOf('@')) {
            return Optional.empty();
        }
        try {
            String credentialsId = URLDecoder.decode(rest.substring(0, at), StandardCharsets.UTF_8);
            String item = URLDecoder.decode(rest.substring(at + 1), StandardCharsets.UTF_8);
            return credentialsId.isEmpty() ? Optional.empty() : Optional.of(new LedgerAuthority(credentialsId, item));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
