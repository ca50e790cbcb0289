package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.Extension;
import hudson.model.Cause;
import hudson.model.Computer;
import hudson.model.Executor;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.triggers.SCMTrigger;
import hudson.triggers.TimerTrigger;
import io.jenkins.plugins.zendesk.oauth.LedgerAuthority;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditContext;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.actions.WorkspaceAction;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.jenkinsci.plugins.workflow.graph.BlockStartNode;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * What Jenkins adds to each audit record: the credential and job of the ledger authority, the run
 * of the owner (number, URL, causes), the node the block ran on, and the acting user. For a mint it
 * also records the credential's use on the run ({@link CredentialsProvider#track}) and puts the
 * build's "Zendesk tokens" page in its sidebar ({@link BuildTokensAction}).
 */
@Extension
@Restricted(NoExternalUse.class)
public final class AuditRunContext implements AuditContext {
    private static final Logger LOGGER = Logger.getLogger(AuditRunContext.class.getName());
    private static final int MAX_CAUSES = 10;
    private static final int MAX_CAUSE_TEXT = 200;

    /** Cheap, on the emitting thread: who acts, and, for a freestyle build, the executor's node. */
    @Override
    public Caller caller(LeaseEvent event) {
        Executor executor = Executor.currentExecutor();
        Computer computer = executor == null ? null : executor.getOwner();
        return new Caller(Jenkins.getAuthentication2().getName(), computer == null ? "" : nodeName(computer.getName()));
    }

    @Override
    public void describe(LeaseEvent event, Caller caller, AuditRecord.Builder record) {
        Optional<LedgerAuthority> authority = LedgerAuthority.parse(event.authority());
        authority.ifPresent(a -> record.credentialId(a.credentialsId()).job(a.itemFullName()));
        if (event.owner().isEmpty()) {
            return;
        }
        ownerNumber(event.owner()).ifPresent(record::build);
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Run<?, ?> run = Run.fromExternalizableId(event.owner());
            if (run == null) {
                return; // deleted: the job and number recorded in the owner still say which build it was
            }
            record.job(run.getParent().getFullName()).build(run.getNumber()).buildUrl(url(run)).causes(causes(run));
            boolean created = event instanceof LeaseEvent.Minted || event instanceof LeaseEvent.Renewed;
            if (created && caller.node().isEmpty()) {
                record.node(pipelineNodes(run));
            }
            if (event instanceof LeaseEvent.Minted && authority.isPresent()) {
                track(run, authority.get().credentialsId());
                BuildTokensAction.attachTo(run);
            }
        } catch (IllegalArgumentException notARunId) {
            LOGGER.log(Level.FINE, "audit: {0} names no run", event.owner());
        }
    }

    private static Optional<Integer> ownerNumber(String owner) {
        int hash = owner.lastIndexOf('#');
        try {
            return hash < 0 ? Optional.empty() : Optional.of(Integer.parseInt(owner.substring(hash + 1)));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    private static String url(Run<?, ?> run) {
        String root = Jenkins.get().getRootUrl();
        return root == null ? run.getUrl() : root + run.getUrl();
    }

    /** {@code user:<id>}, {@code upstream:<job>#<n>}, {@code timer}, {@code scm}, {@code replay:<n>}, {@code remote:<host>}, or the cause's kind. */
    static List<String> causes(Run<?, ?> run) {
        Set<String> out = new LinkedHashSet<>();
        for (Cause cause : run.getCauses()) {
            if (out.size() >= MAX_CAUSES) {
                break;
            }
            String text;
            if (cause instanceof Cause.UserIdCause user) {
                text = "user:" + (user.getUserId() == null ? "anonymous" : user.getUserId());
            } else if (cause instanceof Cause.UpstreamCause upstream) {
                text = "upstream:" + upstream.getUpstreamProject() + "#" + upstream.getUpstreamBuild();
            } else if (cause instanceof TimerTrigger.TimerTriggerCause) {
                text = "timer";
            } else if (cause instanceof SCMTrigger.SCMTriggerCause) {
                text = "scm";
            } else if (cause instanceof Cause.RemoteCause remote) {
                text = "remote:" + remote.getAddr();
            } else if (cause.getClass().getSimpleName().equals("ReplayCause")) {
                // workflow-cps' ReplayCause: "Replayed #12"; the user who replayed is a UserIdCause beside it
                text = "replay:" + cause.getShortDescription().replaceAll("[^0-9]", "");
            } else {
                text = cause.getClass().getSimpleName().replaceAll("Cause$", "").toLowerCase(Locale.ROOT);
            }
            out.add(text.length() > MAX_CAUSE_TEXT ? text.substring(0, MAX_CAUSE_TEXT) : text);
        }
        return new ArrayList<>(out);
    }

    /**
     * The nodes of the {@code node} blocks that enclose the Pipeline's running steps, as the mint
     * is written (the block has just started). Several when parallel branches run on several.
     */
    private static String pipelineNodes(Run<?, ?> run) {
        if (!(run instanceof FlowExecutionOwner.Executable executable)) {
            return "";
        }
        FlowExecutionOwner owner = executable.asFlowExecutionOwner();
        FlowExecution execution = owner == null ? null : owner.getOrNull();
        if (execution == null) {
            return "";
        }
        Set<String> nodes = new LinkedHashSet<>();
        for (FlowNode head : execution.getCurrentHeads()) {
            for (BlockStartNode block : head.iterateEnclosingBlocks()) {
                WorkspaceAction workspace = block.getPersistentAction(WorkspaceAction.class);
                if (workspace != null) {
                    nodes.add(nodeName(workspace.getNode()));
                    break;
                }
            }
        }
        return String.join(", ", nodes);
    }

    private static String nodeName(String name) {
        return name == null || name.isEmpty() ? "built-in" : name;
    }

    /** The credentials plugin's usage record ("Usage" on the credential's page) lists the build. */
    private static void track(Run<?, ?> run, String credentialsId) {
        try {
            ZendeskAdminCredentials credential = CredentialsProvider.findCredentialById(credentialsId, ZendeskAdminCredentials.class, run);
            if (credential != null) {
                CredentialsProvider.track(run, credential);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "could not track the use of credential " + credentialsId + " by " + run, e);
        }
    }
}
