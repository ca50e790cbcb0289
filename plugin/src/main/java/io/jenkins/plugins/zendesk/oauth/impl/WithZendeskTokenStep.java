package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withZendeskToken(credentialsId: 'zendesk-admin', scopes: ['tickets:read']) { ... }}: runs the
 * block with a freshly minted Zendesk OAuth token, renewed before Zendesk expires it, and revokes
 * every token of the block when it ends, however it ends.
 *
 * <p>It takes the parameters of {@code withCredentials([zendeskOAuthToken(...)])}, checked the same
 * way ({@link ZendeskOAuthTokenBinding#runToken}), and shares that binding's help. Unlike the
 * binding, whose environment and masking credentials-binding fixes when the block starts, it has
 * its own execution ({@link TokenBlockExecution}) so that steps see, and the log masks, each new
 * generation.
 */
public final class WithZendeskTokenStep extends Step {

    /** The parameters, held and checked by the equivalent binding: one implementation of their rules. */
    private final ZendeskOAuthTokenBinding binding;
    private transient boolean lifetimeGiven;

    @DataBoundConstructor
    public WithZendeskTokenStep(String credentialsId) {
        this.binding = new ZendeskOAuthTokenBinding(Util.fixEmptyAndTrim(credentialsId));
    }

    @CheckForNull
    public String getCredentialsId() {
        return binding.getCredentialsId();
    }

    @NonNull
    public List<String> getScopes() {
        return binding.getScopes();
    }

    /** A list ({@code ['tickets:read', 'users:read']}) or one space- or comma-separated string ({@code 'tickets:read users:read'}). */
    @DataBoundSetter
    public void setScopes(@CheckForNull Object scopes) {
        binding.setScopes(scopes);
    }

    /** The scopes as one space-separated string, for the configuration form. */
    @Restricted(NoExternalUse.class)
    public String getScopesText() {
        return binding.getScopesText();
    }

    @NonNull
    public String getVariable() {
        return binding.getVariable();
    }

    @DataBoundSetter
    public void setVariable(@CheckForNull String variable) {
        binding.setVariable(variable);
    }

    /**
     * Accepted only to refuse it with an explanation before anything is minted: the lifetime is the
     * minting OAuth client's setting, and the step renews the token. (Without this setter, Pipeline
     * would only warn about an unknown parameter and mint anyway.)
     *
     * @deprecated remove {@code lifetimeMinutes}: the token is renewed before it expires
     */
    @Deprecated
    @DataBoundSetter
    public void setLifetimeMinutes(@CheckForNull Object lifetimeMinutes) {
        this.lifetimeGiven = lifetimeMinutes != null;
    }

    /** @deprecated always null: see {@link #setLifetimeMinutes} */
    @Deprecated
    @CheckForNull
    @Restricted(NoExternalUse.class)
    public Object getLifetimeMinutes() {
        return null;
    }

    /** The equivalent binding, which holds the step's parameters. */
    @NonNull
    ZendeskOAuthTokenBinding toBinding() {
        return binding;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        if (lifetimeGiven) {
            throw new AbortException(Messages.WithZendeskTokenStep_lifetimeMinutes());
        }
        binding.requireUsableScopes();
        return new TokenBlockExecution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        public DescriptorImpl() {
            // One help text per parameter, shared with the binding (which takes the same parameters).
            for (String field : new String[] {"credentialsId", "scopes", "variable"}) {
                addHelpFileRedirect(field, ZendeskOAuthTokenBinding.class, field);
            }
        }

        @Override
        public String getFunctionName() {
            return "withZendeskToken";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.WithZendeskTokenStep_displayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        /**
         * No FilePath or Launcher: minting and revoking happen on the controller, so the step works
         * outside {@code node} (then there is no token file). Steps inside it, like {@code sh}, may need a node.
         */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** The Snippet Generator emits no snippet without a credential; see {@link SnippetChecks}. */
        @Override
        public Step newInstance(@CheckForNull StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            SnippetChecks.requireCredentialsId(formData);
            return super.newInstance(req, formData);
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckScopes(@AncestorInPath Item item, @QueryParameter String value) {
            return SnippetChecks.scopes(item, value);
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckVariable(@AncestorInPath Item item, @QueryParameter String value) {
            return SnippetChecks.variable(item, value);
        }

        /**
         * Lists the Zendesk admin credentials usable in the job (as the binding's own list does:
         * those visible to SYSTEM in the job's context), to users who may see the job's configuration.
         */
        @Restricted(NoExternalUse.class)
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            StandardListBoxModel result = new StandardListBoxModel();
            if (item == null) {
                // The global snippet generator: only administrators may browse global credentials.
                if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                    return result.includeCurrentValue(credentialsId);
                }
                return result.includeEmptyValue()
                        .includeAs(ACL.SYSTEM2, Jenkins.get(), ZendeskAdminCredentials.class, Collections.emptyList())
                        .includeCurrentValue(credentialsId);
            }
            if (!item.hasPermission(Item.EXTENDED_READ)) {
                return result.includeCurrentValue(credentialsId);
            }
            return result.includeEmptyValue()
                    .includeAs(ACL.SYSTEM2, item, ZendeskAdminCredentials.class, Collections.emptyList())
                    .includeCurrentValue(credentialsId);
        }
    }
}
