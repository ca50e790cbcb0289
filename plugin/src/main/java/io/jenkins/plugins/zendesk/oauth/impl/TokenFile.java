package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import hudson.slaves.WorkspaceList;
import java.io.File;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import jenkins.MasterToSlaveFileCallable;

/**
 * The file that holds a block's current token on the node where the block runs: in the
 * workspace's temporary directory (where credentials-binding puts its secret files), in a
 * directory of the block's own that only the build's user may enter, with no newline. Each
 * generation is written to a new file in that directory and renamed over the old one, so a reader
 * sees the old token or the new one, never a mix. The writer runs on the node and first sets that
 * JVM's masking pattern ({@link BlockMasks}), so the new value is masked before a process can read it.
 */
final class TokenFile {
    private static final String DIRECTORY = "zendesk-oauth-token";
    private static final String NAME = "token";

    private TokenFile() {
    }

    /** Where the block's file goes, or null when the workspace has no temporary directory. */
    @CheckForNull
    static FilePath location(@NonNull FilePath workspace, @NonNull String block) {
        FilePath tmp = WorkspaceList.tempDir(workspace);
        return tmp == null ? null : tmp.child(DIRECTORY).child(block).child(NAME);
    }

    /** Writes {@code value} as the file's new content, atomically, after making the node mask it. */
    static void write(@NonNull FilePath file, @NonNull String block, int generation, @NonNull String value, @NonNull Pattern masks)
            throws IOException, InterruptedException {
        file.act(new Write(block, generation, value, masks.pattern()));
    }

    /** Deletes the file and its directory, and forgets the node's masks of the block. */
    static void delete(@NonNull FilePath file, @NonNull String block) throws IOException, InterruptedException {
        file.act(new Delete(block));
    }

    private static final class Write extends MasterToSlaveFileCallable<Void> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String block;
        private final int generation;
        /** Sent over the agent's channel only; this callable is never stored. */
        private final String value;
        private final String masks;

        Write(String block, int generation, String value, String masks) {
            this.block = block;
            this.generation = generation;
            this.value = value;
            this.masks = masks;
        }

        @Override
        public Void invoke(File f, VirtualChannel channel) throws IOException {
            BlockMasks.update(block, generation, Pattern.compile(masks));
            Path target = f.toPath();
            Path dir = target.getParent();
            if (dir == null) {
                throw new IOException(Messages.WithZendeskTokenStep_noFileDirectory(target.toString()));
            }
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            Files.createDirectories(dir, ownerOnly(posix, "rwx------"));
            if (posix) {
                // createDirectories leaves an existing directory as it is.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            Path next = Files.createTempFile(dir, NAME + "-", ".next", ownerOnly(posix, "rw-------"));
            try {
                Files.write(next, value.getBytes(StandardCharsets.UTF_8));
                try {
                    Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(next, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(next);
            }
            return null;
        }

        private static FileAttribute<?>[] ownerOnly(boolean posix, String permissions) {
            return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                    : new FileAttribute<?>[0];
        }
    }

    private static final class Delete extends MasterToSlaveFileCallable<Void> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String block;

        Delete(String block) {
            this.block = block;
        }

        @Override
        public Void invoke(File f, VirtualChannel channel) throws IOException {
            try {
                Path dir = f.toPath().getParent();
                if (dir != null && Files.isDirectory(dir)) {
                    try (var files = Files.list(dir)) {
                        for (Path p : (Iterable<Path>) files::iterator) {
                            Files.deleteIfExists(p);
                        }
                    }
                    Files.deleteIfExists(dir);
                }
            } finally {
                BlockMasks.forget(block);
            }
            return null;
        }
    }
}
