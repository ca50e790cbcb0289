package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.ModelObject;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import java.util.Collections;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Permission checks for the credential form's endpoints. The credentials plugin posts these forms
 * to {@code /descriptorByName/...}; the store's context (Jenkins, a folder, a user) comes from
 * {@code @ContextInPath}, as in {@code BaseStandardCredentialsDescriptor.doCheckId}.
 */
@Restricted(NoExternalUse.class)
final class ContextPermissions {

    /**
     * What a run can see: SYSTEM-scoped credentials are for Jenkins itself, never for jobs, so a
     * reference to one would work in the form and fail in every build.
     */
    static final CredentialsMatcher USABLE_BY_JOBS = CredentialsMatchers.not(CredentialsMatchers.withScope(CredentialsScope.SYSTEM));

    private ContextPermissions() {
    }

    /**
     * Whether the current user may configure Zendesk admin credentials in this store context. At the
     * root that is {@link Jenkins#ADMINISTER}, as for the global credentials store itself: Overall/Manage
     * does not let a user change global credentials, so it must not let them use their secrets here.
     */
    static boolean canConfigure(@CheckForNull ModelObject context) {
        if (context == null || context instanceof Jenkins) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        if (context instanceof Item item) {
            // Folders: the credentials permissions, or configuring the folder itself.
            return item.hasAnyPermission(CredentialsProvider.CREATE, CredentialsProvider.UPDATE, Item.CONFIGURE);
        }
        if (context instanceof AccessControlled controlled) {
            return controlled.hasAnyPermission(CredentialsProvider.CREATE, CredentialsProvider.UPDATE);
        }
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    /**
     * Like {@link #canConfigure} but throws {@code AccessDeniedException} (HTTP 403), so that
     * anonymous and read-only callers get nothing, and cause no call to Zendesk.
     */
    static void checkConfigure(@CheckForNull ModelObject context) {
        if (context == null || context instanceof Jenkins) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else if (context instanceof Item item) {
            item.checkAnyPermission(CredentialsProvider.CREATE, CredentialsProvider.UPDATE, Item.CONFIGURE);
        } else if (context instanceof AccessControlled controlled) {
            controlled.checkAnyPermission(CredentialsProvider.CREATE, CredentialsProvider.UPDATE);
        } else {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        }
    }

    /**
     * Whether the current user may use the credentials of this context, i.e. would be allowed to
     * bind them in a job there. Required before the form lists or uses a Secret text credential.
     */
    static boolean canUseCredentials(@CheckForNull ModelObject context) {
        if (context instanceof User owner) {
            // A user's own store: only that user.
            User current = User.current();
            return current != null && current.getId().equals(owner.getId());
        }
        AccessControlled controlled = context instanceof AccessControlled ac ? ac : Jenkins.get();
        return controlled.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /**
     * Resolves Secret text credentials the way a job in this context will see them: the
     * credentials of the store's context and its parents, without SYSTEM-scoped ones. Callers
     * must have checked {@link #canConfigure} and {@link #canUseCredentials} first.
     * <p>
     * Stores at the root and in folders return nothing to a user's own authentication (they only
     * answer {@code ACL.SYSTEM2}), so the lookup runs as SYSTEM, after those permission checks; in
     * a user's own store it runs as that user.
     */
    @NonNull
    static List<StringCredentials> secretTexts(@CheckForNull ModelObject context) {
        List<StringCredentials> found;
        if (context instanceof User) {
            found = CredentialsProvider.lookupCredentialsInItemGroup(StringCredentials.class, Jenkins.get(), Jenkins.getAuthentication2(),
                    Collections.emptyList());
        } else if (context instanceof ItemGroup<?> group) {
            found = CredentialsProvider.lookupCredentialsInItemGroup(StringCredentials.class, group, ACL.SYSTEM2, Collections.emptyList());
        } else if (context instanceof Item item) {
            found = CredentialsProvider.lookupCredentialsInItem(StringCredentials.class, item, ACL.SYSTEM2, Collections.emptyList());
        } else {
            found = CredentialsProvider.lookupCredentialsInItemGroup(StringCredentials.class, Jenkins.get(), ACL.SYSTEM2,
                    Collections.emptyList());
        }
        return CredentialsMatchers.filter(found, USABLE_BY_JOBS);
    }

    /**
     * The Secret text credentials a job in the store's context can use, for a drop-down. Without the
     * right to configure credentials there and to use them, only the current value is echoed back.
     */
    @NonNull
    static ListBoxModel secretTextItems(@CheckForNull ModelObject context, @CheckForNull String current) {
        StandardListBoxModel result = new StandardListBoxModel();
        String value = Util.fixNull(current);
        if (!canConfigure(context) || !canUseCredentials(context)) {
            result.includeCurrentValue(value);
            return result;
        }
        result.includeEmptyValue();
        for (StringCredentials c : secretTexts(context)) {
            result.with(c);
        }
        result.includeCurrentValue(value);
        return result;
    }

    /** A resolver over {@link #secretTexts}; finds nothing unless the user may use credentials here. */
    @NonNull
    static SecretTextResolver resolverFor(@CheckForNull ModelObject context) {
        return id -> canUseCredentials(context)
                ? CredentialsMatchers.firstOrNull(secretTexts(context), CredentialsMatchers.withId(id))
                : null;
    }
}
