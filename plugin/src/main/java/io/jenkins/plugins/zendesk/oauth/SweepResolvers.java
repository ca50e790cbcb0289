package io.jenkins.plugins.zendesk.oauth;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import java.util.Collections;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * What the sweeper asks Jenkins about a ledger entry: the admin credential that minted its token
 * ({@link io.jenkins.plugins.zendesk.oauth.broker.recovery.CredentialResolver}) and whether the run
 * that owns it may still use it ({@link io.jenkins.plugins.zendesk.oauth.broker.recovery.OwnerStatus}).
 */
final class SweepResolvers {
    private static final Logger LOGGER = Logger.getLogger(SweepResolvers.class.getName());

    private SweepResolvers() {
    }

    /**
     * Finds the admin credential of a ledger entry again, as SYSTEM, in the context of the job that
     * minted it (so folder credentials are found), or at the Jenkins root when that job was
     * deleted. The entry's authority is written by the binding
     * ({@link LedgerAuthority}: credentials id and job full name).
     * A credential of another site than the entry's is refused, so an edited ledger cannot send it
     * elsewhere. Only revocation and token listing are done with it.
     */
    static Optional<AdminAuth> credentialOf(LedgerEntry entry) {
        Optional<LedgerAuthority> authority = LedgerAuthority.parse(entry.authority());
        if (authority.isEmpty()) {
            LOGGER.log(Level.WARNING, "ledger entry {0} has an authority this version cannot read: {1}",
                    new Object[] {entry.id(), entry.authority()});
            return Optional.empty();
        }
        String credentialsId = authority.get().credentialsId();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Item job = Jenkins.get().getItemByFullName(authority.get().itemFullName(), Job.class);
            // A deleted job's credential may live in its folder, which still exists: look there, not only at the root.
            ItemGroup<?> group = job != null ? null : nearestExistingGroup(authority.get().itemFullName());
            ZendeskAdminCredentials credential = CredentialsMatchers.firstOrNull(job != null
                    ? CredentialsProvider.lookupCredentialsInItem(ZendeskAdminCredentials.class, job, ACL.SYSTEM2, Collections.emptyList())
                    : CredentialsProvider.lookupCredentialsInItemGroup(ZendeskAdminCredentials.class, group, ACL.SYSTEM2, Collections.emptyList()),
                    CredentialsMatchers.withId(credentialsId));
            if (credential == null) {
                return Optional.empty();
            }
            if (!ZendeskBrokerService.site(credential.getSite()).toString().equals(entry.site())) {
                LOGGER.log(Level.WARNING, "Zendesk credential {0} is for {1}, not {2} as recorded in ledger entry {3}; not using it",
                        new Object[] {credentialsId, credential.getSite(), entry.site(), entry.id()});
                return Optional.empty();
            }
            Item context = job != null ? job : group instanceof Item folder ? folder : null;
            return Optional.of(credential.adminAuth(SecretTextResolver.forItemAsSystem(context)));
        } catch (ZendeskException e) {
            // e.g. the referenced Secret text credential is gone; the sweeper records the entry as stuck
            LOGGER.log(Level.WARNING, "cannot use Zendesk credential " + credentialsId + " for ledger entry " + entry.id() + ": "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The innermost folder (item group) on a deleted job's path that still exists, else the root.
     * Walks up the full name ({@code a/b/job} looks at {@code a/b}, then {@code a}); run as SYSTEM.
     */
    static ItemGroup<?> nearestExistingGroup(String itemFullName) {
        String path = itemFullName;
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/')) {
            path = path.substring(0, slash);
            Item item = Jenkins.get().getItemByFullName(path);
            if (item instanceof ItemGroup<?> group) {
                return group;
            }
        }
        return Jenkins.get();
    }

    /**
     * Whether the run that owns a lease may still use its token: it exists and is building. A
     * Pipeline that was running when Jenkins stopped is building again once loaded (it resumes),
     * so the sweep after a restart leaves its tokens to the block, which revokes them when it ends;
     * if the run fails to resume it completes, and its tokens are revoked.
     */
    static boolean isActive(String owner) {
        if (Jenkins.getInstanceOrNull() == null) {
            return true; // starting or stopping: cannot tell, so do not revoke
        }
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Run<?, ?> run = Run.fromExternalizableId(owner);
            return run != null && run.isBuilding();
        } catch (IllegalArgumentException notARunId) {
            return false; // no run can ever own it
        } catch (RuntimeException unsure) {
            LOGGER.log(Level.FINE, "cannot tell whether " + owner + " is running; keeping its token", unsure);
            return true;
        }
    }
}
