package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parser of user input meets a 1 MB value of the shapes that make backtracking patterns
 * quadratic. Measured as the ratio of its cost to that of a 10-character value of the same shape,
 * best of several runs: a parser that bounds its input first and scans linearly stays within a
 * small constant factor; the quadratic patterns of issue 14 took 24 s for 60,000 characters. The
 * preemptive timeout only stops a regression from hanging the build; the assertion is the ratio.
 */
class HostileInputTest {
    private static final int MB = 1 << 20;
    private static final Map<String, SecretValue> WRAPPED = new ConcurrentHashMap<>();
    /**
     * A bounded parser reads at most a few thousand characters (Redaction, the most, 8,192: about
     * 1,500x here); reading the whole megabyte would be 100,000x.
     */
    private static final double MAX_RATIO = 10_000;

    static Stream<Arguments> parsers() {
        SecretValue secret = SecretValue.of("s3cr3t-value");
        List<Parser> parsers = List.of(
                new Parser("ZendeskSite.parse", s -> ZendeskSite.parse(s)),
                new Parser("ZendeskSite.parse (any host)", s -> ZendeskSite.parse(s, ZendeskSite.HostPolicy.ANY_HOST)),
                new Parser("ZendeskSite.parse (URL)", "https://", s -> ZendeskSite.parse(s)),
                new Parser("AdminAuth email", s -> new AdminAuth.ApiToken(s, secret)),
                // The old pattern's worst case: a domain of many dots, then a forbidden character.
                new Parser("AdminAuth email (domain)", "a@", s -> new AdminAuth.ApiToken(s, secret)),
                new Parser("AdminAuth client identifier", s -> new AdminAuth.ClientCredentials(s, secret, null)),
                // The secret is wrapped once, outside the measured runs: SecretValue.of reads it whole to refuse a blank one.
                new Parser("AdminAuth secret", "x", s -> new AdminAuth.Bearer(WRAPPED.computeIfAbsent(s, SecretValue::of))),
                new Parser("OAuthClientRef.parse", OAuthClientRef::parse),
                new Parser("Scope.parse", s -> Scope.parse(s, "scopes")),
                new Parser("ScopeSet.parse", s -> ScopeSet.parse(s, "scopes")),
                new Parser("ScopeSet.parse (list)", s -> ScopeSet.parse(List.of(s), "scopes")),
                new Parser("Redaction.excerpt", s -> Redaction.excerpt(s, List.of(secret), 200)));
        List<String> shapes = List.of("<", "<a", "<script>", "a.", "a@a.", "a", ".", " ", "a:", "\n");
        return parsers.stream().flatMap(p -> shapes.stream().map(shape -> Arguments.of(p, shape)));
    }

    /** A parser, and what its input starts with (added before anything is measured: copying a megabyte is not the parser's cost). */
    record Parser(String name, String prefix, Consumer<String> parse) {
        Parser(String name, Consumer<String> parse) {
            this(name, "", parse);
        }

        @Override
        public String toString() {
            return name;
        }

        /** Runs the parser; a refusal is a normal outcome for such input. */
        void accept(String input) {
            try {
                parse.accept(input);
            } catch (ZendeskInputException | IllegalArgumentException refused) {
                // expected for most shapes
            }
        }
    }

    @ParameterizedTest(name = "{0} on ''{1}'' x 1 MB")
    @MethodSource("parsers")
    void oneMegabyteCostsAboutWhatTenCharactersCost(Parser parser, String shape) {
        String small = parser.prefix() + repeat(shape, 10);
        String large = parser.prefix() + repeat(shape, MB) + ":";
        double ratio = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            long floor = best(parser, small, 2_000);
            long big = best(parser, large, 5);
            return (double) big / Math.max(floor, 1);
        }, "hang guard: a quadratic parser never finishes 1 MB");
        System.out.printf("%-32s %-10s ratio %8.1f%n", parser, "'" + shape.replace("\n", "\\n") + "'", ratio);
        assertThat(ratio).as("%s on 1 MB of '%s', as a multiple of 10 characters", parser, shape).isLessThan(MAX_RATIO);
    }

    private static String repeat(String shape, int length) {
        return shape.repeat(length / shape.length() + 1).substring(0, length);
    }

    /** The fastest of {@code runs} runs, after as many to warm up: the least disturbed by other processes. */
    private static long best(Parser parser, String input, int runs) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2 * runs; i++) {
            long start = System.nanoTime();
            parser.accept(input);
            long took = System.nanoTime() - start;
            if (i >= runs) {
                best = Math.min(best, took);
            }
        }
        return best;
    }
}
