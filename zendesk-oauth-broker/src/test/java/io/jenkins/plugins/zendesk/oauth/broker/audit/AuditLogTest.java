package io.jenkins.plugins.zendesk.oauth.broker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.fixture.MutableClock;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit files: format, days, torn and corrupt lines, retention, paging, export, the writer across a restart. */
class AuditLogTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(START);
    private final AtomicInteger retention = new AtomicInteger(AuditLog.DEFAULT_RETENTION_DAYS);
    private AuditLog log;
    private final List<String> warnings = new ArrayList<>();
    private final Handler warningCatcher = new Handler() {
        @Override
        public void publish(LogRecord r) {
            warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void open() {
        log = new AuditLog(dir, clock, retention::get);
        Logger.getLogger(AuditLog.class.getName()).addHandler(warningCatcher);
    }

    @AfterEach
    void close() {
        Logger.getLogger(AuditLog.class.getName()).removeHandler(warningCatcher);
    }

    private static AuditRecord minted(Instant at, long tokenId, String job, int build) {
        return AuditRecord.builder(at, AuditEvents.MINTED).site("https://acme.zendesk.com").tokenId(tokenId).entryId("e" + tokenId)
                .clientId(50328).scopes(List.of("tickets:read", "users:read")).expiresAt(Optional.of(at.plusSeconds(1800)))
                .credentialId("zendesk-admin").job(job).build(build).buildUrl("job/" + job + "/" + build + "/")
                .causes(List.of("user:alice", "upstream:nightly#7")).node("agent-1").tookMs(42).outcome("ok").build();
    }

    private List<AuditRecord> all() {
        List<AuditRecord> out = new ArrayList<>();
        new AuditSearch(log).forEach(AuditQuery.all(), out::add);
        return out;
    }

    @Test
    void aRecordSurvivesTheRoundTripThroughItsLine() {
        AuditRecord record = minted(START, 12345, "folder/deploy", 42).toBuilder().heldMs(Optional.of(900L)).error("x\ny").build();
        String line = AuditCodec.encode(record);
        assertThat(line).doesNotContain("\n").startsWith("{\"v\":1,\"time\":\"2026-12-01T10:00:00Z\",\"event\":\"minted\"")
                .contains("\"token_id\":12345");
        assertThat(AuditCodec.decode(line)).contains(record);
        assertThat(AuditCodec.decode("{\"v\":2,\"time\":\"2026-12-01T10:00:00Z\",\"event\":\"minted\"}")).as("unknown version").isEmpty();
        assertThat(AuditCodec.decode("{\"v\":1,\"time\":\"yesterday\",\"event\":\"minted\"}")).isEmpty();
    }

    @Test
    void oneFilePerUtcDayAppendedInOrder() throws IOException {
        log.append(List.of(minted(START, 1, "a", 1), minted(START.plusSeconds(60), 2, "a", 1)));
        log.append(List.of(minted(START.plus(Duration.ofDays(1)), 3, "b", 2)));

        assertThat(log.days()).containsExactly(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-02"));
        assertThat(Files.readAllLines(log.fileOf(LocalDate.parse("2026-12-01")))).hasSize(2);
        assertThat(all()).extracting(AuditRecord::tokenId).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aTornLastLineIsSkippedWithAWarningAndTheNextRecordStartsOnItsOwnLine() throws IOException {
        log.append(List.of(minted(START, 1, "a", 1)));
        Path file = log.fileOf(LocalDate.parse("2026-12-01"));
        String full = AuditCodec.encode(minted(START, 2, "a", 1));
        Files.writeString(file, full.substring(0, full.length() / 2), StandardOpenOption.APPEND); // a crash mid-write

        assertThat(all()).extracting(AuditRecord::tokenId).containsExactly(1L);
        assertThat(warnings).anyMatch(w -> w.contains("skipped"));

        AuditLog afterRestart = new AuditLog(dir, clock, retention::get);
        afterRestart.append(List.of(minted(START.plusSeconds(1), 3, "a", 1)));

        assertThat(all()).extracting(AuditRecord::tokenId).containsExactly(1L, 3L);
    }

    @Test
    void corruptAndOverlongLinesAreSkippedNotFatal() throws IOException {
        log.append(List.of(minted(START, 1, "a", 1)));
        Path file = log.fileOf(LocalDate.parse("2026-12-01"));
        Files.writeString(file, "not json\n{\"v\":1}\n" + "x".repeat(AuditLines.MAX_LINE * 3) + "\n\u00ff\u00fe\n", StandardOpenOption.APPEND);
        Files.write(file, new byte[] {(byte) 0xC3, (byte) 0x28, '\n'}, StandardOpenOption.APPEND); // not UTF-8
        log.append(List.of(minted(START.plusSeconds(5), 2, "a", 1)));

        assertThat(all()).extracting(AuditRecord::tokenId).containsExactly(1L, 2L);
        assertThat(warnings).anyMatch(w -> w.contains("skipped"));
    }

    @Test
    void retentionDeletesWholeDaysOlderThanTheSettingOnTheInjectedClock() {
        for (int day = 0; day < 10; day++) {
            log.append(List.of(minted(START.plus(Duration.ofDays(day)), day + 1, "a", 1)));
        }
        clock.advance(Duration.ofDays(9)); // today is 2026-12-10
        retention.set(3);

        assertThat(log.prune()).isEqualTo(7);

        assertThat(log.days()).containsExactly(LocalDate.parse("2026-12-08"), LocalDate.parse("2026-12-09"), LocalDate.parse("2026-12-10"));
        assertThat(all()).extracting(AuditRecord::tokenId).containsExactly(8L, 9L, 10L);
        clock.advance(Duration.ofDays(1));
        assertThat(log.prune()).as("a day later, one more day goes").isEqualTo(1);
    }

    @Test
    void pagesAreNewestFirstAcrossDaysAndSayWhetherMoreFollow() {
        for (int i = 1; i <= 25; i++) {
            // 10 records a day over three days
            log.append(List.of(minted(START.plus(Duration.ofDays((i - 1) / 10)).plusSeconds(i), i, i % 2 == 0 ? "even" : "odd", i)));
        }
        AuditSearch search = new AuditSearch(log);

        AuditSearch.Page first = search.page(AuditQuery.all(), 0, 10);
        assertThat(first.records()).extracting(AuditRecord::tokenId).containsExactly(25L, 24L, 23L, 22L, 21L, 20L, 19L, 18L, 17L, 16L);
        assertThat(first.hasMore()).isTrue();
        AuditSearch.Page second = search.page(AuditQuery.all(), 10, 10);
        assertThat(second.records()).extracting(AuditRecord::tokenId).containsExactly(15L, 14L, 13L, 12L, 11L, 10L, 9L, 8L, 7L, 6L);
        AuditSearch.Page last = search.page(AuditQuery.all(), 20, 10);
        assertThat(last.records()).extracting(AuditRecord::tokenId).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(last.hasMore()).isFalse();

        AuditQuery evenJob = AuditQuery.parse("", "EVEN", "", "", "", "", "");
        assertThat(search.page(evenJob, 0, 3).records()).extracting(AuditRecord::tokenId).containsExactly(24L, 22L, 20L);
        assertThat(search.page(evenJob, 3, 100).records()).hasSize(9);
    }

    @Test
    void oneBoxFindsATokenIdAndFiltersCombine() {
        log.append(List.of(minted(START, 12345, "deploy", 7), minted(START, 123456, "deploy", 8),
                minted(START.plus(Duration.ofDays(2)), 999, "other", 12345)));
        AuditSearch search = new AuditSearch(log);

        assertThat(search.page(AuditQuery.parse("12345", "", "", "", "", "", ""), 0, 50).records()).extracting(AuditRecord::tokenId)
                .as("token id 12345 and build 12345, not token 123456").containsExactly(999L, 12345L);
        assertThat(search.page(AuditQuery.parse("", "", "12345", "", "", "", ""), 0, 50).records()).extracting(AuditRecord::tokenId)
                .containsExactly(12345L);
        assertThat(search.page(AuditQuery.parse("", "", "", "", "", "2026-12-02", "2026-12-03"), 0, 50).records())
                .extracting(AuditRecord::tokenId).containsExactly(999L);
        assertThat(search.page(AuditQuery.parse("", "", "", "zendesk-admin", AuditEvents.REVOKED, "", ""), 0, 50).records()).isEmpty();
        assertThat(search.page(AuditQuery.build("deploy", 8, LocalDate.parse("2026-12-01")), 0, 50).records())
                .extracting(AuditRecord::tokenId).containsExactly(123456L);
    }

    @Test
    void badFiltersNameTheFieldAndTheFix() {
        assertThatThrownBy(() -> AuditQuery.parse("", "", "12a", "", "", "", "")).isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("token").hasMessageContaining("digits only");
        assertThatThrownBy(() -> AuditQuery.parse("", "", "", "", "", "03/12/2026", "")).isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("from").hasMessageContaining("YYYY-MM-DD");
        assertThatThrownBy(() -> AuditQuery.parse("x".repeat(AuditQuery.MAX_TEXT + 1), "", "", "", "", "", ""))
                .isInstanceOf(ZendeskInputException.class).hasMessageContaining("text").hasMessageContaining("shorten");
    }

    @Test
    void csvHasAHeaderQuotesAndDefusesFormulas() {
        StringWriter out = new StringWriter();
        new AuditCsv(out).header().record(minted(START, 1, "=HYPERLINK(\"x\")", 3).toBuilder().error("a, b").build());
        String[] rows = out.toString().split("\r\n");
        assertThat(rows[0]).startsWith("time,event,site,token_id,");
        assertThat(rows[1]).contains(",\"'=HYPERLINK(\"\"x\"\")\",").contains(",\"a, b\"").contains("tickets:read users:read");
    }

    @Test
    void theWriterBatchesOffTheCallerAndWhatItWroteSurvivesARestart() throws Exception {
        try (AuditWriter writer = new AuditWriter(log, "audit-test")) {
            IntStream.rangeClosed(1, 500).forEach(i -> writer.submit(() -> minted(START.plusMillis(i), i, "a", 1)));
            writer.flush(Duration.ofSeconds(30));
            assertThat(all()).hasSize(500);
            writer.submit(() -> minted(START.plusSeconds(10), 501, "a", 1));
        } // close writes what is queued
        try (AuditWriter reopened = new AuditWriter(new AuditLog(dir, clock, retention::get), "audit-test")) {
            reopened.submit(() -> minted(START.plusSeconds(11), 502, "a", 1));
            reopened.flush(Duration.ofSeconds(30));
        }
        assertThat(all()).hasSize(502).extracting(AuditRecord::tokenId).endsWith(501L, 502L);
        assertThat(Files.readString(log.fileOf(LocalDate.parse("2026-12-01")), StandardCharsets.UTF_8)).endsWith("\n");
    }

    @Test
    void aFullQueueLosesRecordsWithoutBlockingAndSaysSo() throws Exception {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        try (AuditWriter writer = new AuditWriter(log, "audit-test", 2)) {
            writer.submit(() -> {
                try {
                    hold.await(); // the writer is stuck in this record: the queue fills
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return minted(START, 1, "a", 1);
            });
            for (int i = 2; i <= 10; i++) {
                long id = i;
                writer.submit(() -> minted(START, id, "a", 1)); // never blocks
            }
            hold.countDown();
        }
        List<AuditRecord> written = all();
        assertThat(written).extracting(AuditRecord::event).contains(AuditEvents.RECORDS_LOST);
        assertThat(written.stream().filter(r -> r.event().equals(AuditEvents.MINTED)).count()
                + written.stream().filter(r -> r.event().equals(AuditEvents.RECORDS_LOST))
                        .mapToLong(r -> Long.parseLong(r.error().split(" ")[0])).sum())
                .as("every record is written or counted as lost").isEqualTo(10);
    }
}
