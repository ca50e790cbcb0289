package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.console.ConsoleLogFilter;
import hudson.console.LineTransformationOutputStream;
import hudson.model.AbstractBuild;
import hudson.remoting.Channel;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks every generation of a block's token, and its encoded forms, in the block's console
 * output. Unlike a filter whose pattern is fixed when the block starts, it looks the pattern up in
 * {@link BlockMasks} for every line, so a value minted while a step runs is masked from then on.
 *
 * <p>In program.dat it holds only the block's key. Pipeline also sends the filter to an agent, with
 * the output of a step that runs there ({@code sh} watching its log): then, and only then (on a
 * remoting channel, never in program.dat), it carries the pattern known so far; the token file
 * writer keeps that agent's pattern current afterwards.
 */
final class BlockMaskingFilter extends ConsoleLogFilter implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String block;
    private final String charsetName;

    BlockMaskingFilter(@NonNull String block, @NonNull String charsetName) {
        this.block = block;
        this.charsetName = charsetName;
    }

    @Override
    public OutputStream decorateLogger(AbstractBuild ignored, OutputStream logger) {
        return new MaskingStream(logger, block, charsetName);
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        BlockMasks.Masks masks = Channel.current() == null ? null : BlockMasks.get(block);
        out.writeInt(masks == null ? 0 : masks.generation());
        out.writeObject(masks == null ? null : masks.pattern().pattern());
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int generation = in.readInt();
        Object pattern = in.readObject();
        if (pattern instanceof String text && !text.isEmpty()) {
            BlockMasks.update(block, generation, Pattern.compile(text));
        }
    }

    /** Replaces matches of the block's current pattern with {@code ****}, line by line. */
    private static final class MaskingStream extends LineTransformationOutputStream.Delegating {
        private final String block;
        private final String charsetName;

        MaskingStream(OutputStream out, String block, String charsetName) {
            super(out);
            this.block = block;
            this.charsetName = charsetName;
        }

        @Override
        protected void eol(byte[] b, int len) throws IOException {
            Pattern pattern = BlockMasks.pattern(block);
            if (pattern == null) {
                out.write(b, 0, len);
                return;
            }
            Matcher m = pattern.matcher(new String(b, 0, len, charsetName));
            if (m.find()) {
                out.write(m.replaceAll("****").getBytes(charsetName));
            } else {
                out.write(b, 0, len);
            }
        }
    }
}
