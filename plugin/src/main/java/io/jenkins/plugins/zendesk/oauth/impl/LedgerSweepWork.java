package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AsyncPeriodicWork;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.ItemListener;
import hudson.model.listeners.RunListener;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerException;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.SystemProperties;
import jenkins.util.Timer;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Revokes, every few minutes, the Zendesk tokens nobody else will revoke: tokens whose revocation
 * failed, mints whose outcome was unknown, and tokens of runs that are no longer building (hard
 * killed, failed to resume, deleted). Tokens of running builds, resumed ones included, are left to
 * their block. Also sweeps once after startup and whenever a run finishes or is deleted.
 *
 * <p>The period, in minutes, is read at startup from the system property
 * {@code io.jenkins.plugins.zendesk.oauth.impl.LedgerSweepWork.periodMinutes} (default 5, at least 1).
 */
@Extension
@Restricted(NoExternalUse.class)
public final class LedgerSweepWork extends AsyncPeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(LedgerSweepWork.class.getName());

    public static final String PERIOD_PROPERTY = LedgerSweepWork.class.getName() + ".periodMinutes";

    public LedgerSweepWork() {
        super("Zendesk token sweep");
    }

    @Override
    public long getRecurrencePeriod() {
        Long minutes = SystemProperties.getLong(PERIOD_PROPERTY, 5L);
        return TimeUnit.MINUTES.toMillis(Math.max(1L, minutes == null ? 5L : minutes));
    }

    /** A full period: right after startup, {@link StartupSweep} has just swept. */
    @Override
    public long getInitialDelay() {
        return getRecurrencePeriod();
    }

    @Override
    protected void execute(TaskListener listener) {
        ZendeskBrokerService service = ZendeskBrokerService.get();
        if (!service.ledgerFile().exists()) {
            listener.getLogger().println(Messages.LedgerSweepWork_nothingMinted());
            return;
        }
        try {
            SweepReport report = service.sweeper().sweep();
            listener.getLogger().println(report);
            if (!report.errors().isEmpty()) {
                LOGGER.log(Level.WARNING, "{0}", report);
            }
        } catch (LedgerException e) {
            // Reported, never "repaired": the file may be the only record of live tokens.
            listener.error(e.getMessage());
            LOGGER.log(Level.SEVERE, e.getMessage());
        }
    }

    /**
     * The sweep after startup. It runs once all items are loaded, the moment Pipeline builds resume
     * ({@code FlowExecutionList} uses the same event; an {@code @Initializer} after
     * {@code JOB_CONFIG_ADAPTED} would load builds before Jenkins finished starting), and on a timer
     * thread so that an unreachable Zendesk never delays startup. A build that was running when
     * Jenkins stopped is building again here, so its {@code LIVE} tokens are left to its block.
     */
    @Extension
    @Restricted(NoExternalUse.class)
    public static final class StartupSweep extends ItemListener {
        /** The sweep started by the last {@link #onLoaded()}, for tests; it yields null when there was no ledger to sweep or it was unreadable. */
        private volatile Future<SweepReport> sweep;

        @Override
        public void onLoaded() {
            sweep = Timer.get().submit(() -> {
                ZendeskBrokerService service = ZendeskBrokerService.get();
                if (!service.ledgerFile().exists()) {
                    return null;
                }
                try {
                    SweepReport report = service.sweeper().sweep();
                    LOGGER.log(Level.INFO, "Startup {0}", report);
                    return report;
                } catch (LedgerException e) {
                    // Jenkins keeps starting; the outstanding tokens page shows the error.
                    LOGGER.log(Level.SEVERE, e.getMessage());
                    return null;
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Zendesk token sweep at startup failed", e);
                    return null;
                }
            });
        }

        @CheckForNull
        Future<SweepReport> lastSweep() {
            return sweep;
        }
    }

    /**
     * Revokes the tokens a run still holds once it is over: a hard-killed build, one that failed to
     * resume, or a block whose revocation failed. {@code onFinalized} rather than
     * {@code onCompleted}: it comes last, when the run can no longer run any step nor use a token,
     * and also fires for a hard kill. Both events come on threads that must not wait for Zendesk
     * (the Pipeline's CPS thread, a web request), so the sweep runs on a timer thread.
     */
    @Extension
    @Restricted(NoExternalUse.class)
    public static final class RunSweeper extends RunListener<Run<?, ?>> {
        @Override
        public void onFinalized(@NonNull Run<?, ?> run) {
            sweepLater(run.getExternalizableId(), "finished");
        }

        @Override
        public void onDeleted(@NonNull Run<?, ?> run) {
            sweepLater(run.getExternalizableId(), "deleted");
        }

        private static void sweepLater(String owner, String why) {
            // execute, not submit: nobody reads a Future here (SpotBugs RV_RETURN_VALUE_IGNORED_BAD_PRACTICE).
            Timer.get().execute(() -> {
                try {
                    SweepReport report = ZendeskBrokerService.get().sweepOwner(owner);
                    if (report != null) {
                        LOGGER.log(report.errors().isEmpty() ? Level.INFO : Level.WARNING, "Tokens of {0} ({1} run): {2}",
                                new Object[] {owner, why, report});
                    }
                } catch (LedgerException e) {
                    LOGGER.log(Level.SEVERE, e.getMessage());
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Zendesk token sweep for " + owner + " failed; the periodic sweep will retry", e);
                }
            });
        }
    }
}
