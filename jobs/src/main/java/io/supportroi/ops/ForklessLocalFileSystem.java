package io.supportroi.ops;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Hadoop's local file system (checksummed, as {@code file:} paths get by default) without a process per file.
 * Without Hadoop's native library, which no Maven artifact ships, {@link RawLocalFileSystem} runs {@code chmod} for
 * every file and folder it creates, {@code readlink} twice per rename (each Delta commit and checksum file) and
 * {@code ls -ld} for each listed file's permissions: about 1,300 processes in a nightly run over the hand-written
 * fixture, and one per landing file on every listing. Here the same calls go through {@code java.nio}; symbolic links
 * keep Hadoop's own code.
 *
 * <p>Used in local mode only ({@link SparkSessions}): on a cluster the executors' class path and the storage are the
 * cluster's.
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
    public ForklessLocalFileSystem() {
        super(new Raw());
    }

    /** The Hadoop settings that route {@code file:} paths here, for Hadoop's FileSystem and for its FileContext. */
    public static final Map<String, String> HADOOP_SETTINGS = Map.of(
            "fs.file.impl", ForklessLocalFileSystem.class.getName(),
            "fs.AbstractFileSystem.file.impl", ForFileContext.class.getName());

    /** The raw (unchecksummed) file system underneath. */
    static final class Raw extends RawLocalFileSystem {
        /** Permission bits from the lowest (others' execute) up, as {@link FsPermission#toShort} numbers them. */
        private static final PosixFilePermission[] BITS = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission.toShort()));
        }

        private static Set<PosixFilePermission> posix(short mode) {
            Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
            for (int i = 0; i < BITS.length; i++) {
                if ((mode & (1 << i)) != 0) {
                    perms.add(BITS[i]);
                }
            }
            return perms;
        }

        private static short mode(Set<PosixFilePermission> perms) {
            short mode = 0;
            for (int i = 0; i < BITS.length; i++) {
                if (perms.contains(BITS[i])) {
                    mode |= (short) (1 << i);
                }
            }
            return mode;
        }

        @Override
        public FileStatus getFileLinkStatus(Path f) throws IOException {
            // Hadoop asks readlink first; only a link's status differs from the file's.
            if (Files.isSymbolicLink(pathToFile(f).toPath())) {
                return super.getFileLinkStatus(f);
            }
            return getFileStatus(f);
        }

        @Override
        public FileStatus getFileStatus(Path f) throws IOException {
            return withPermission(super.getFileStatus(f));
        }

        @Override
        public FileStatus[] listStatus(Path f) throws IOException {
            FileStatus[] listed = super.listStatus(f);
            for (int i = 0; i < listed.length; i++) {
                listed[i] = withPermission(listed[i]);
            }
            return listed;
        }

        /** The status with its permission, owner and group read now (Hadoop's would run ls when asked for them). */
        private FileStatus withPermission(FileStatus s) {
            if (s.isSymlink()) {
                return s;
            }
            PosixFileAttributes a;
            try {
                a = Files.readAttributes(pathToFile(s.getPath()).toPath(), PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | UnsupportedOperationException e) {
                // Gone since it was listed, or not a POSIX file system: Hadoop's own status, read when asked.
                return s;
            }
            return new FileStatus(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(),
                    s.getModificationTime(), s.getAccessTime(), new FsPermission(mode(a.permissions())),
                    a.owner().getName(), a.group().getName(), s.getPath());
        }
    }

    /** The same for FileContext (Delta's commits go through it): Hadoop's LocalFs over {@link Raw}. */
    public static final class ForFileContext extends ChecksumFs {
        public ForFileContext(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(new RawForFileContext(uri, conf));
        }
    }

    /** As Hadoop's RawLocalFs, whose constructors are not public. */
    private static final class RawForFileContext extends DelegateToFileSystem {
        RawForFileContext(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new Raw(), conf, "file", false);
        }

        @Override
        public int getUriDefaultPort() {
            return -1;
        }

        @Override
        @SuppressWarnings("deprecation")
        public FsServerDefaults getServerDefaults() throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public FsServerDefaults getServerDefaults(Path f) throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public boolean isValidName(String src) {
            return true;
        }
    }
}
