package io.supportroi.ops;

import io.supportroi.testing.SparkTest;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local file system a local session writes through: what Delta and Spark do to a table's files (folders and files
 * created with permissions, listed, renamed through FileContext as a Delta commit is) starts no process, and gives
 * the permissions, owners and links Hadoop's own would. Processes are counted by the JVM's own flight recorder.
 */
@ExtendWith(SparkTest.class)
class ForklessLocalFileSystemTest {
    private static final URI LOCAL = URI.create("file:///");

    @Test
    void aLocalSessionRoutesFilePathsHere(SparkSession spark) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try (FileSystem fs = FileSystem.newInstance(LOCAL, conf)) {
            assertThat(fs).isInstanceOf(ForklessLocalFileSystem.class);
        }
        assertThat(FileContext.getFileContext(LOCAL, conf).getDefaultFileSystem())
                .isInstanceOf(ForklessLocalFileSystem.ForFileContext.class);
    }

    @Test
    void writingATableStartsNoProcessWhereHadoopsOwnStartsSome(@TempDir java.nio.file.Path tmp) throws Exception {
        Configuration conf = new Configuration();
        FileSystem forkless = new ForklessLocalFileSystem();
        forkless.initialize(LOCAL, conf);
        FileContext forklessContext = FileContext.getFileContext(new ForklessLocalFileSystem.ForFileContext(LOCAL,
                conf), conf);
        FileSystem hadoops = new LocalFileSystem();
        hadoops.initialize(LOCAL, conf);

        assertThat(processesStarted(tmp, () -> writeATable(forkless, forklessContext, tmp.resolve("forkless"))))
                .isZero();
        // The probe sees Hadoop's processes: the zero above is not a blind spot.
        assertThat(processesStarted(tmp, () -> writeATable(hadoops, FileContext.getLocalFSFileContext(conf),
                tmp.resolve("hadoops")))).isPositive();

        for (String table : new String[] {"forkless", "hadoops"}) {
            java.nio.file.Path dir = tmp.resolve(table).resolve("t");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-x---");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("part-0.parquet"))))
                    .isEqualTo("rw-r-----");
            assertThat(dir.resolve("_delta_log").resolve("00000.json")).hasContent("{}");
            assertThat(dir.resolve("_delta_log").resolve("_commit.tmp")).doesNotExist();
        }
        // Statuses as Hadoop's own gives them, permissions and owners included.
        for (String name : new String[] {"t", "t/part-0.parquet", "t/_delta_log/00000.json"}) {
            Path p = new Path(tmp.resolve("forkless").resolve(name).toUri());
            Path q = new Path(tmp.resolve("hadoops").resolve(name).toUri());
            FileStatus mine = forkless.getFileStatus(p);
            FileStatus theirs = hadoops.getFileStatus(q);
            assertThat(mine.getPermission()).as(name).isEqualTo(theirs.getPermission());
            assertThat(mine.getOwner()).as(name).isEqualTo(theirs.getOwner()).isNotEmpty();
            assertThat(mine.getGroup()).as(name).isEqualTo(theirs.getGroup());
            assertThat(mine.getLen()).as(name).isEqualTo(theirs.getLen());
            assertThat(mine.isDirectory()).as(name).isEqualTo(theirs.isDirectory());
            assertThat(forkless.getFileLinkStatus(p).isSymlink()).isFalse();
        }
    }

    @Test
    void aSymbolicLinkIsWhatHadoopsOwnSaysItIs(@TempDir java.nio.file.Path tmp) throws IOException {
        Configuration conf = new Configuration();
        java.nio.file.Path target = Files.writeString(tmp.resolve("target.json"), "{}");
        Path link = new Path(Files.createSymbolicLink(tmp.resolve("link.json"), target).toUri());
        // Checksummed (what file: paths get) and raw.
        FileSystem[][] pairs = {{new ForklessLocalFileSystem(), new LocalFileSystem()},
                {new ForklessLocalFileSystem.Raw(), new org.apache.hadoop.fs.RawLocalFileSystem()}};
        for (FileSystem[] pair : pairs) {
            pair[0].initialize(LOCAL, conf);
            pair[1].initialize(LOCAL, conf);
            FileStatus mine = pair[0].getFileLinkStatus(link);
            FileStatus theirs = pair[1].getFileLinkStatus(link);
            assertThat(mine.isSymlink()).as(pair[1].getClass().getSimpleName()).isEqualTo(theirs.isSymlink());
            if (theirs.isSymlink()) {
                assertThat(mine.getSymlink()).isEqualTo(theirs.getSymlink());
            }
            // Followed, a link is the file it points to.
            assertThat(pair[0].getFileStatus(link).getLen()).isEqualTo(2);
        }
    }

    /** What a Delta write does to the file system: folders, a data file, a commit written aside and renamed. */
    private static void writeATable(FileSystem fs, FileContext fc, java.nio.file.Path root) throws IOException {
        Path table = new Path(root.resolve("t").toUri());
        assertThat(fs.mkdirs(new Path(table, "_delta_log"), new FsPermission((short) 0750))).isTrue();
        fs.setPermission(table, new FsPermission((short) 0750));
        try (FSDataOutputStream out = fs.create(new Path(table, "part-0.parquet"), new FsPermission((short) 0640),
                true, 4096, (short) 1, 1 << 20, null)) {
            out.write(new byte[] {1, 2, 3});
        }
        Path tmp = new Path(table, "_delta_log/_commit.tmp");
        try (FSDataOutputStream out = fc.create(tmp, java.util.EnumSet.of(org.apache.hadoop.fs.CreateFlag.CREATE))) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        fc.rename(tmp, new Path(table, "_delta_log/00000.json"), Options.Rename.NONE);
        FileStatus[] listed = fs.listStatus(table);
        assertThat(listed).hasSize(2);
        for (FileStatus s : listed) {
            assertThat(s.getPermission().toShort()).isIn((short) 0750, (short) 0640);
            assertThat(s.getOwner()).isNotEmpty();
        }
        var files = fs.listFiles(table, true);
        int n = 0;
        while (files.hasNext()) {
            files.next();
            n++;
        }
        assertThat(n).isEqualTo(2);
    }

    @FunctionalInterface
    private interface Work {
        void run() throws IOException;
    }

    private static long processesStarted(java.nio.file.Path tmp, Work work) throws Exception {
        java.nio.file.Path out = Files.createTempFile(tmp, "processes", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ProcessStart");
            recording.start();
            work.run();
            recording.stop();
            recording.dump(out);
        }
        return RecordingFile.readAllEvents(out).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ProcessStart")).count();
    }
}
