package io.jenkins.plugins.zendesk.oauth.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Sleeper} that does not wait: it records each requested pause and, when given a
 * {@link MutableClock}, moves that clock forward by it, so deadline logic sees the time pass.
 */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> sleeps = new ArrayList<>();
    private final MutableClock clock;

    RecordingSleeper() {
        this(null);
    }

    RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        if (clock != null) {
            clock.advance(duration);
        }
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
