package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;

/**
 * Reads the lines of an audit file with a bound on each line's length, so that a damaged file
 * (no line breaks) cannot fill the memory. Bytes that are not UTF-8 become replacement characters,
 * and such a line then fails to parse and is skipped.
 */
final class AuditLines implements Closeable {
    /** Returned for a line longer than {@link #MAX_LINE} (no record is that long): not JSON, so it is skipped as unreadable. */
    static final String TOO_LONG = "\u0000 line too long";
    static final int MAX_LINE = 64 * 1024;

    private final BufferedReader in;
    private final StringBuilder line = new StringBuilder(512);

    private AuditLines(BufferedReader in) {
        this.in = in;
    }

    static AuditLines open(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new AuditLines(new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 64 * 1024));
    }

    /** The next line without its break, {@link #TOO_LONG}, or null at the end. */
    String next() throws IOException {
        line.setLength(0);
        boolean tooLong = false;
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return tooLong ? TOO_LONG : line.toString();
            }
            if (line.length() < MAX_LINE) {
                line.append((char) c);
            } else {
                tooLong = true;
            }
        }
        if (tooLong) {
            return TOO_LONG;
        }
        return line.length() == 0 ? null : line.toString(); // a last line without a break: torn, or written just now
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
