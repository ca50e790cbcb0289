package io.jenkins.plugins.zendesk.oauth.broker.lease;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a renewing lease's timed work (renewals, retirements of superseded generations). Injected
 * into {@link TokenBroker} so that tests drive time themselves; production wraps a small daemon
 * {@link ScheduledExecutorService} with {@link #of}.
 */
@FunctionalInterface
public interface RenewalScheduler {

    /**
     * Runs {@code task} once, {@code delay} from now (zero or negative: as soon as possible), on
     * a thread of the scheduler's own.
     *
     * @return what cancels the task if it has not started; cancelling a started or finished task does nothing
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** Cancels one scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Schedules on {@code executor}; its owner shuts it down. */
    static RenewalScheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (task, delay) -> {
            long millis = Math.max(0, delay.toMillis());
            var future = executor.schedule(task, millis, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        };
    }
}
