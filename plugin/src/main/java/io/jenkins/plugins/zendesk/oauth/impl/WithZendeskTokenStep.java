package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.zendesk.oauth.Messages;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.BindingStep;
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
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withZendeskToken(credentialsId: 'zendesk-admin', scopes: ['tickets:read']) { ... }}: runs the
 * block with a freshly minted Zendesk OAuth token in {@code ZENDESK_OAUTH_TOKEN} and revokes it when
 * the block ends, however it ends.
 *
 * <p>The step is a friendlier spelling of {@code withCredentials([zendeskOAuthToken(...)])}: it starts
 * credentials-binding's own {@link BindingStep} execution with one {@link ZendeskOAuthTokenBinding}.
 * That execution already does, off the CPS VM thread, everything a secret-bearing block needs:
 * environment override with the variable declared sensitive, console masking of the value and its
 * encoded forms ({@code SecretPatterns}), masking of failure messages, and a tail-call unbind
 * (our revocation) that runs in the background and is serialized with the program, so it also runs
 * after a controller restart. Reusing it keeps one implementation of those guarantees, maintained
 * by the credentials-binding plugin, instead of a copy of its private classes.
 *
 * <p>Lives in {@code impl} with the binding: the package root holds the API types only.
 */
public final class WithZendeskTokenStep extends Step {

    private final String credentialsId;
    private List<String> scopes = Collections.emptyList();
    private String variable = ZendeskOAuthTokenBinding.DEFAULT_VARIABLE;

    @DataBoundConstructor
    public WithZendeskTokenStep(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @NonNull
    public List<String> getScopes() {
        return Collections.unmodifiableList(scopes);
    }

    /** Accepts a Pipeline list, or one space- or comma-separated string from the snippet generator form. */
    @DataBoundSetter
    public void setScopes(@CheckForNull List<String> scopes) {
        this.scopes = BlockInput.normalizeScopes(scopes);
    }

    /** The scopes as one space-separated string, for the configuration form. */
    @Restricted(NoExternalUse.class)
    public String getScopesText() {
        return String.join(" ", scopes);
    }

    @NonNull
    public String getVariable() {
        return variable;
    }

    @DataBoundSetter
    public void setVariable(@CheckForNull String variable) {
        String trimmed = Util.fixEmptyAndTrim(variable);
        this.variable = trimmed == null ? ZendeskOAuthTokenBinding.DEFAULT_VARIABLE : trimmed;
    }

    /** The equivalent binding. */
    @NonNull
    ZendeskOAuthTokenBinding toBinding() {
        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding(credentialsId);
        binding.setScopes(scopes);
        binding.setVariable(variable);
        return binding;
    }

    @Override
    @SuppressWarnings("rawtypes") // BindingStep takes a raw List<MultiBinding>
    public StepExecution start(StepContext context) throws Exception {
        List<MultiBinding> bindings = Collections.singletonList(toBinding());
        return new BindingStep(bindings).start(context);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

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

        /** No FilePath or Launcher: minting and revoking happen on the controller, so the step works outside {@code node}. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
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
