package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.console.ConsoleLogFilter;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.ZendeskTokenGlobalConfiguration;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RenewingLease;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.value.Sentences;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import java.io.IOException;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.FilePathUtils;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs a {@code withZendeskToken} block with a renewing token. Keeps the guarantees of
 * credentials-binding's {@code BindingStep} (work off the CPS VM thread, the variable declared
 * sensitive, console and failure masking of the value and its encoded forms, a tail call that
 * revokes however the body ends) and adds what a fixed binding cannot: the environment, the masks
 * and the node's token file follow each renewal ({@link LiveBlock}).
 *
 * <p>Serialized in program.dat with ids only: the token values live in {@link LiveBlocks} on the
 * controller. After a restart, {@link #onResume()} mints a new generation for the block (the old
 * values are gone with the old JVM) and rewrites the file once the node is back.
 */
final class TokenBlockExecution extends GeneralNonBlockingStepExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(TokenBlockExecution.class.getName());
    /** Attempts to mint for a resumed block before its steps are told there is no token. */
    private static final int RESUME_ATTEMPTS = 5;

    private final String credentialsId;
    private final ArrayList<String> scopes;
    private final String variable;
    /** The block's key in {@link LiveBlocks} and {@link BlockMasks}. */
    private final String key = UUID.randomUUID().toString();
    /** The broker's id linking the block's generations in the ledger; set once the first one is minted. */
    private volatile String blockId;
    private volatile String site;
    /** Node name and path of the token file; null outside {@code node}. */
    private volatile String fileNode;
    private volatile String filePath;
    private volatile boolean ended;
    private volatile boolean bodyStarted;
    private transient volatile boolean stopped;

    TokenBlockExecution(@NonNull WithZendeskTokenStep step, @NonNull StepContext context) {
        super(context);
        this.credentialsId = step.getCredentialsId();
        this.scopes = new ArrayList<>(step.getScopes());
        this.variable = step.getVariable();
    }

    /** The step's parameters as the equivalent binding, which checks them and finds the credential. */
    private ZendeskOAuthTokenBinding spec() {
        ZendeskOAuthTokenBinding binding = new ZendeskOAuthTokenBinding(credentialsId);
        binding.setScopes(scopes);
        binding.setVariable(variable);
        return binding;
    }

    @Override
    public boolean start() {
        run(this::doStart);
        return false;
    }

    private void doStart() throws Exception {
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        FilePath workspace = context.get(FilePath.class);
        RunToken runToken = spec().runToken(run);
        // Before the mint: when Zendesk has already retired this kind of authentication, the mint fails and this is the explanation.
        DeprecationNotice.oncePerBuild(run, listener, credentialsId, runToken.credentials().deprecationNotice());
        LiveBlock block = LiveBlocks.get().open(key, listener);
        RenewingLease lease;
        try {
            // Waits for Zendesk's rate limit up to the global cap, with one console line; a mint of unknown outcome is retried once.
            BlockProgress progress = new BlockProgress(listener);
            lease = ZendeskBrokerService.get().broker().leaseRenewing(runToken.request(scopes), block,
                    ZendeskTokenGlobalConfiguration.get().buildAdmission().observedBy(progress), progress);
        } catch (MintOutcomeUnknownException e) {
            LiveBlocks.get().remove(key);
            throw new AbortException(Messages.ZendeskOAuthTokenBinding_mintOutcomeUnknown(e.getMessage()));
        } catch (ZendeskException e) {
            LiveBlocks.get().remove(key);
            // Names the Jenkins credential and client: what a Jenkinsfile author reports to an admin.
            throw new AbortException(CredentialErrorText.forBuild(credentialsId, runToken.credentials(), e, scopes.isEmpty()));
        } catch (RuntimeException | Error e) {
            LiveBlocks.get().remove(key);
            throw e;
        }
        try {
            blockId = lease.blockId();
            site = lease.site().toString();
            if (!block.attach(lease)) {
                lease.revokeAll().forEach(outcome -> RunToken.printRevoked(listener, outcome));
                return; // stopped while minting: the step has failed already
            }
            RunToken.printMinted(listener, lease.site(), lease.current().token(), lease.current().mintTook());
            FilePath file = workspace == null ? null : TokenFile.location(workspace, key);
            if (file != null) {
                fileNode = FilePathUtils.getNodeName(file);
                filePath = file.getRemote();
                block.keepFile(this::locateFile);
            }
            if (!lease.renews()) {
                listener.getLogger().println(Messages.WithZendeskTokenStep_noExpiry());
            } else if (file == null) {
                listener.getLogger().println(Messages.WithZendeskTokenStep_renews(variable));
            } else {
                listener.getLogger().println(Messages.WithZendeskTokenStep_renewsFile(variable, variable + ZendeskOAuthTokenBinding.FILE_SUFFIX));
            }
            if (stopped) {
                endBlock(listener);
                return;
            }
            context.newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(context.get(EnvironmentExpander.class),
                            new BlockEnvironment(key, variable, site, filePath)))
                    .withContext(BodyInvoker.mergeConsoleLogFilters(context.get(ConsoleLogFilter.class),
                            new BlockMaskingFilter(key, run.getCharset().name())))
                    .withContext(FailureHandler.merge(context.get(FailureHandler.class), new BlockFailureMasking(key)))
                    .withCallback(new BlockEnd())
                    .start();
            bodyStarted = true;
        } catch (Exception | Error e) {
            // Nobody will run with these tokens: revoke them now.
            endBlock(listener);
            throw e;
        }
    }

    /** The token file on the block's node, or null while the node is not connected. */
    @CheckForNull
    private FilePath locateFile() {
        String node = fileNode;
        String path = filePath;
        return node == null || path == null ? null : FilePathUtils.find(node, path);
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        stopped = true;
        super.stop(cause);
        if (blockId != null && !ended) {
            // The body may never call back now: end the block here (ending twice does nothing).
            TaskListener listener = getContext().get(TaskListener.class);
            Timer.get().submit(() -> endBlock(listener));
        }
    }

    /**
     * Revokes every generation of the block (the lease in memory, or by block id after a restart
     * whose resume failed), deletes the token file and forgets the masks. Idempotent; never throws.
     */
    private void endBlock(@NonNull TaskListener listener) {
        ended = true;
        LiveBlock block = LiveBlocks.get().remove(key);
        if (block == null) {
            return; // ended already, or never started
        }
        try {
            List<RevocationOutcome> outcomes = block.end();
            if (outcomes == null && blockId != null) {
                outcomes = revokeByBlockId(listener);
            }
            if (outcomes != null) {
                outcomes.forEach(outcome -> RunToken.printRevoked(listener, outcome));
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not revoke the Zendesk tokens of block " + blockId, e);
            listener.getLogger().println(Messages.WithZendeskTokenStep_blockNotRevoked(Sentences.end(String.valueOf(e.getMessage()))));
        } finally {
            block.deleteFile();
        }
    }

    /** No lease in memory (a restart, then no successful resume): revoke what the ledger has for the block. */
    private List<RevocationOutcome> revokeByBlockId(TaskListener listener) {
        try {
            RunToken.Revoker revoker = RunToken.revoker(getContext().get(Run.class), credentialsId, site);
            return ZendeskBrokerService.get().broker().revokeBlock(revoker.site(), revoker.auth(), blockId, RunToken.owner(getContext().get(Run.class)));
        } catch (AbortException e) {
            listener.getLogger().println(Messages.WithZendeskTokenStep_blockNotRevoked(Sentences.end(e.getMessage())));
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            listener.getLogger().println(Messages.WithZendeskTokenStep_blockNotRevoked(Sentences.end(String.valueOf(e.getMessage()))));
        }
        return null;
    }

    @Override
    public void onResume() {
        super.onResume();
        if (blockId == null || ended) {
            return;
        }
        TaskListener listener = consoleOrNull();
        // Registered at once: the block's end finds it, even if it comes before the new generation.
        LiveBlock block = LiveBlocks.get().open(key, listener);
        if (!bodyStarted) {
            // The restart came between the mint and the body: the step failed above; revoke what was minted.
            Timer.get().submit(() -> endBlock(listener));
            return;
        }
        Timer.get().submit(() -> resume(block, listener, 1));
    }

    private TaskListener consoleOrNull() {
        try {
            TaskListener listener = getContext().get(TaskListener.class);
            return listener == null ? TaskListener.NULL : listener;
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.WARNING, "no console for the Zendesk token block " + blockId, e);
            return TaskListener.NULL;
        }
    }

    /** Mints the block's next generation after a restart, linked to its earlier ones, and rewrites the file. */
    private void resume(LiveBlock block, TaskListener listener, int attempt) {
        if (ended) {
            return;
        }
        try {
            RunToken runToken = spec().runToken(getContext().get(Run.class));
            RenewingLease lease = ZendeskBrokerService.get().broker().resume(runToken.request(scopes), blockId, block);
            if (!block.attach(lease)) {
                // The block ended while this generation was minted.
                lease.revokeAll().forEach(outcome -> RunToken.printRevoked(listener, outcome));
                return;
            }
            listener.getLogger().println(Messages.WithZendeskTokenStep_resumed(Long.toString(lease.current().token().id()),
                    lease.current().token().scopes().toString(),
                    lease.current().token().expiresAt().map(Object::toString).orElse(Messages.WithZendeskTokenStep_never())));
            if (filePath != null) {
                block.keepFile(this::locateFile);
            }
        } catch (AbortException | ZendeskInputException e) {
            giveUp(block, listener, e.getMessage());
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (attempt >= RESUME_ATTEMPTS) {
                giveUp(block, listener, why);
            } else {
                listener.getLogger().println(Messages.WithZendeskTokenStep_resumeRetry(Sentences.end(why)));
                Timer.get().schedule(() -> resume(block, listener, attempt + 1), 5L << attempt, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void giveUp(LiveBlock block, TaskListener listener, String why) {
        String message = Messages.WithZendeskTokenStep_resumeFailed(Sentences.end(why));
        listener.getLogger().println(message);
        block.unavailable(message);
    }

    /** The block ended, however: revoke every generation. Serialized with the program (ids only), so it also runs after a restart. */
    private final class BlockEnd extends TailCall {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected void finished(StepContext context) throws Exception {
            endBlock(context.get(TaskListener.class));
        }
    }
}
