package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit trail on disk: append-only JSON-lines files, one per UTC day
 * ({@code audit-2026-12-03.jsonl}), in one directory. Records are only ever appended; whole days
 * are deleted when older than the retention. Reading streams the files, so memory stays bounded
 * whatever their size; a line that is torn (a crash mid-write) or not a record is skipped with a
 * warning. Appends come from one writer ({@link AuditWriter}); reads may run at any time.
 */
public final class AuditLog {
    private static final Logger LOGGER = Logger.getLogger(AuditLog.class.getName());
    private static final Pattern FILE = Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2})\\.jsonl");
    /** Default retention, in days. */
    public static final int DEFAULT_RETENTION_DAYS = 90;

    private final Path dir;
    private final Clock clock;
    private final IntSupplier retentionDays;
    /** The file the writer last appended to, checked once for a torn last line. */
    private Path checkedTail;

    /** @param retentionDays asked at each pruning, so a changed setting applies at once */
    public AuditLog(Path dir, Clock clock, IntSupplier retentionDays) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retentionDays = Objects.requireNonNull(retentionDays, "retentionDays");
    }

    public Path dir() {
        return dir;
    }

    public Clock clock() {
        return clock;
    }

    public Path fileOf(LocalDate day) {
        return dir.resolve("audit-" + day + ".jsonl");
    }

    /** Appends records, each to the file of its day, and syncs them: called by the single writer only. */
    synchronized void append(List<AuditRecord> records) {
        Map<LocalDate, StringBuilder> byDay = new LinkedHashMap<>();
        for (AuditRecord r : records) {
            byDay.computeIfAbsent(r.time().atZone(ZoneOffset.UTC).toLocalDate(), d -> new StringBuilder())
                    .append(AuditCodec.encode(r)).append('\n');
        }
        try {
            Files.createDirectories(dir);
            for (Map.Entry<LocalDate, StringBuilder> day : byDay.entrySet()) {
                Path file = fileOf(day.getKey());
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    String text = endsTorn(file, out) ? "\n" + day.getValue() : day.getValue().toString();
                    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    out.force(false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Zendesk token audit trail in " + dir, e);
        }
    }

    /** A crash may have left half a line: the next record starts on a line of its own, so only the torn one is lost. */
    private boolean endsTorn(Path file, FileChannel out) throws IOException {
        if (file.equals(checkedTail)) {
            return false;
        }
        checkedTail = file;
        long size = out.size();
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.read(last, size - 1);
        }
        return last.get(0) != '\n';
    }

    /** Deletes the days older than the retention; returns how many files went. */
    public int prune() {
        int keep = Math.max(1, retentionDays.getAsInt());
        LocalDate oldestKept = clock.instant().atZone(ZoneOffset.UTC).toLocalDate().minusDays(keep - 1L);
        int deleted = 0;
        for (LocalDate day : days()) {
            if (day.isBefore(oldestKept)) {
                try {
                    Files.deleteIfExists(fileOf(day));
                    deleted++;
                } catch (IOException e) {
                    LOGGER.log(Level.WARNING, "cannot delete the expired Zendesk token audit file " + fileOf(day), e);
                }
            }
        }
        return deleted;
    }

    /** The days that have a file, oldest first. */
    List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return days;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "audit-*.jsonl")) {
            for (Path file : files) {
                Matcher m = FILE.matcher(String.valueOf(file.getFileName()));
                if (m.matches()) {
                    try {
                        days.add(LocalDate.parse(m.group(1)));
                    } catch (DateTimeParseException notADay) {
                        // audit-2026-13-45.jsonl: not ours
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the Zendesk token audit trail in " + dir, e);
        }
        Collections.sort(days);
        return days;
    }

    /** The days of the query's range that have a file, oldest first. */
    List<LocalDate> days(AuditQuery query) {
        return days().stream()
                .filter(d -> query.from().map(f -> !d.isBefore(f)).orElse(true) && query.to().map(t -> !d.isAfter(t)).orElse(true))
                .toList();
    }

    /** Calls {@code each} for every matching record of one day in order; returns false when {@code each} asked to stop. */
    boolean read(LocalDate day, AuditQuery query, RecordVisitor each) {
        Path file = fileOf(day);
        try (AuditLines lines = AuditLines.open(file)) {
            int skipped = 0;
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (line.isEmpty() || !query.mayMatch(line)) {
                    continue;
                }
                Optional<AuditRecord> record = line.equals(AuditLines.TOO_LONG) ? Optional.empty() : AuditCodec.decode(line);
                if (record.isEmpty()) {
                    skipped++;
                } else if (query.matches(record.get()) && !each.visit(record.get())) {
                    return false;
                }
            }
            if (skipped > 0) {
                LOGGER.log(Level.WARNING, "skipped {0} unreadable line(s) in the Zendesk token audit file {1} (a torn write or an edit)",
                        new Object[] {skipped, file});
            }
            return true;
        } catch (NoSuchFileException prunedMeanwhile) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Zendesk token audit file " + file, e);
        }
    }

    /** Receives records one at a time; returns false to stop. */
    @FunctionalInterface
    interface RecordVisitor {
        boolean visit(AuditRecord record);
    }
}
