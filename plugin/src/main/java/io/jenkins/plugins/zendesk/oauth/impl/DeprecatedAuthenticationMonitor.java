package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.CredentialsStoreAction;
import com.cloudbees.plugins.credentials.domains.Domain;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AdministrativeMonitor;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.ModelObject;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Tells administrators which Zendesk admin credentials still use an API token, a password or a
 * stored admin OAuth token, and by when Zendesk stops accepting them, with a link to the migration
 * guide. Looks at the global store and every folder's own store. The list is recomputed at most
 * once a minute: Jenkins asks monitors on every page of Manage Jenkins.
 */
@Extension
@Symbol("zendeskDeprecatedAuthentication")
@Restricted(NoExternalUse.class)
public final class DeprecatedAuthenticationMonitor extends AdministrativeMonitor {
    /** Where admins read how to switch to OAuth client credentials. */
    public static final String MIGRATION_URL =
            "https://github.com/jenkinsci/zendesk-oauth-token-plugin/blob/main/docs/admin-guide.md#migrating-from-api-tokens";
    private static final long REFRESH_NANOS = 60_000_000_000L;

    /**
     * One credential to migrate.
     *
     * @param id     the credential's id
     * @param where  the store's context: Jenkins (the global store) or a folder's full name
     * @param kind   the authentication kind as the form names it
     * @param notice what Zendesk does to this kind, and by when
     * @param url    the credential's page, relative to Jenkins' root URL
     */
    public record Finding(String id, String where, String kind, String notice, String url) {
    }

    private volatile List<Finding> findings = List.of();
    private volatile long computedAt;
    private volatile boolean computed;

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.DeprecatedAuthenticationMonitor_displayName();
    }

    @Override
    public boolean isActivated() {
        return !getFindings().isEmpty();
    }

    public String getMigrationUrl() {
        return MIGRATION_URL;
    }

    /** The credentials to migrate, at most a minute old. */
    public List<Finding> getFindings() {
        long now = System.nanoTime();
        if (!computed || now - computedAt > REFRESH_NANOS) {
            findings = scan();
            computedAt = now;
            computed = true;
        }
        return findings;
    }

    /** Forgets the cached list, e.g. after a credential changed. */
    void refresh() {
        computed = false;
    }

    private static List<Finding> scan() {
        List<Finding> found = new ArrayList<>();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Jenkins jenkins = Jenkins.get();
            scan(jenkins, Messages.DeprecatedAuthenticationMonitor_globalStore(), "manage/", found);
            for (Item item : jenkins.allItems(Item.class)) {
                if (item instanceof ItemGroup<?>) {
                    scan(item, item.getFullName(), item.getUrl(), found);
                }
            }
        }
        return List.copyOf(found);
    }

    /** @param contextUrl the context's URL relative to Jenkins' root, ending with {@code /} */
    private static void scan(ModelObject context, String where, String contextUrl, List<Finding> found) {
        for (CredentialsStore store : CredentialsProvider.lookupStores(context)) {
            if (store.getContext() != context) {
                continue; // a parent's store, scanned at its own level
            }
            CredentialsStoreAction action = store.getStoreAction();
            String storeUrl = contextUrl + "credentials/store/" + (action != null ? action.getUrlName() : context instanceof Jenkins ? "system" : "folder")
                    + "/";
            for (Domain domain : store.getDomains()) {
                String domainUrl = domain.getUrl().endsWith("/") ? domain.getUrl() : domain.getUrl() + "/";
                for (Credentials c : store.getCredentials(domain)) {
                    if (!(c instanceof ZendeskAdminCredentialsImpl z)) {
                        continue;
                    }
                    // Read each once: a getter called twice may answer differently in between.
                    ZendeskAuthentication authentication = z.getAuthentication();
                    String notice = z.deprecationNotice();
                    if (authentication != null && notice != null) {
                        found.add(new Finding(z.getId(), where, authentication.getDescriptor().getDisplayName(), notice,
                                storeUrl + domainUrl + "credential/" + Util.rawEncode(z.getId()) + "/"));
                    }
                }
            }
        }
    }
}
