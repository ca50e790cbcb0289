package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes audit records off the lease's critical path: {@link #submit} only queues (a record is
 * built on this writer's thread, from a supplier), and one daemon thread appends what has
 * gathered in one batch and one sync. Should the queue ever fill (a disk that stopped), new
 * records are counted as lost, and a {@code records_lost} record says how many, rather than
 * making a build wait. Also prunes old days, once at start and then once per day.
 */
public final class AuditWriter implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(AuditWriter.class.getName());
    /** Records waiting at most; far more than any burst of builds makes. */
    private static final int CAPACITY = 100_000;
    static final int BATCH = 2_000;
    /** Put last in the queue by {@link #close()}: the thread writes what came before it, then ends. */
    private static final Object STOP = new Object();

    private final AuditLog log;
    private final BlockingQueue<Object> queue;
    private final AtomicLong lost = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private LocalDate prunedOn;

    public AuditWriter(AuditLog log, String threadName) {
        this(log, threadName, CAPACITY);
    }

    AuditWriter(AuditLog log, String threadName, int capacity) {
        this.log = log;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public AuditLog log() {
        return log;
    }

    /** Queues a record, built later on the writer's thread; never blocks. */
    public void submit(Supplier<AuditRecord> record) {
        if (closing || !queue.offer(record)) {
            if (lost.getAndIncrement() == 0) {
                LOGGER.warning("the Zendesk token audit trail cannot keep up (or is closed); records are being lost");
            }
        }
    }

    /** Waits until everything submitted before this call is on disk (tests, and before reading one's own writes). */
    public void flush(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closing || !queue.offer(done)) {
            return;
        }
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.log(Level.FINE, "audit flush did not complete", e);
        }
    }

    /** Writes what is queued, then stops the thread (never interrupted: an interrupted file write would lose its batch). */
    @Override
    public void close() {
        closing = true;
        try {
            if (queue.offer(STOP, 30, TimeUnit.SECONDS)) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        pruneDaily();
        List<Object> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException ignored) {
                continue; // only close() ends this thread, after the last batch
            }
            queue.drainTo(batch, BATCH - 1);
            boolean stop = batch.remove(STOP);
            write(batch);
            batch.clear();
            if (stop) {
                return;
            }
            pruneDaily();
        }
    }

    private void write(List<Object> batch) {
        List<AuditRecord> records = new ArrayList<>(batch.size());
        List<CompletableFuture<?>> flushes = new ArrayList<>();
        for (Object item : batch) {
            if (item instanceof CompletableFuture<?> flush) {
                flushes.add(flush);
            } else {
                try {
                    @SuppressWarnings("unchecked")
                    AuditRecord record = ((Supplier<AuditRecord>) item).get();
                    records.add(record);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "could not describe an audit record", e);
                }
            }
        }
        long gone = lost.getAndSet(0);
        if (gone > 0) {
            records.add(AuditRecord.builder(log.clock().instant(), AuditEvents.RECORDS_LOST).outcome("failed")
                    .error(gone + " audit record(s) were lost: the writer could not keep up").build());
        }
        try {
            if (!records.isEmpty()) {
                log.append(records);
            }
        } catch (RuntimeException e) {
            lost.addAndGet(records.size());
            LOGGER.log(Level.WARNING, "could not write " + records.size() + " Zendesk token audit record(s)", e);
        }
        flushes.forEach(f -> f.complete(null));
    }

    private void pruneDaily() {
        LocalDate today = log.clock().instant().atZone(ZoneOffset.UTC).toLocalDate();
        if (!today.equals(prunedOn)) {
            prunedOn = today;
            try {
                int deleted = log.prune();
                if (deleted > 0) {
                    LOGGER.log(Level.INFO, "deleted {0} Zendesk token audit file(s) older than the retention", deleted);
                }
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "could not prune the Zendesk token audit trail", e);
            }
        }
    }
}
