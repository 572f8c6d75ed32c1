package io.hearth.spark.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.spark.examples.StreamCsvToParquet;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** s3:// paths as files of Hearth's object store, through Hadoop's FileSystem API and through Spark. */
class TestLocalObjectStoreFileSystem {
    @TempDir
    java.nio.file.Path root;

    private Configuration conf;

    @BeforeEach
    void configure() {
        conf = new Configuration(false);
        for (String scheme : List.of("s3", "s3a", "s3n")) {
            conf.set("fs." + scheme + ".impl", LocalObjectStoreFileSystem.class.getName());
            conf.set("fs." + scheme + ".impl.disable.cache", "true");
            conf.set("fs.AbstractFileSystem." + scheme + ".impl", LocalObjectStoreFs.class.getName());
        }
        conf.set(LocalObjectStoreFileSystem.ROOT, root.toString());
    }

    @Test
    void objectsAreFilesUnderTheirBucket() throws IOException {
        FileSystem fs = FileSystem.get(URI.create("s3://data/"), conf);
        try (FSDataOutputStream out = fs.create(new Path("s3://data/raw/2024/a.csv"))) {
            out.write("x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(root.resolve("data/raw/2024/a.csv")).hasContent("x,y\n1,2");
        assertThat(Files.list(root.resolve("data/raw/2024")).map(p -> p.getFileName().toString()).toList())
                .as("no checksum side files").containsExactly("a.csv");

        FileStatus status = fs.getFileStatus(new Path("s3://data/raw/2024/a.csv"));
        assertThat(status.getPath().toString()).isEqualTo("s3://data/raw/2024/a.csv");
        assertThat(status.getLen()).isEqualTo(8);
        assertThat(status.isFile()).isTrue();
        FileStatus[] listing = fs.listStatus(new Path("s3://data/raw"));
        assertThat(Arrays.stream(listing).map(s -> s.getPath().toString())).containsExactly("s3://data/raw/2024");
        assertThat(fs.exists(new Path("s3://data/raw/2025"))).isFalse();
    }

    @Test
    void objectsHaveFixedPermissionsWhateverTheFileHas() throws IOException {
        FileSystem fs = FileSystem.get(URI.create("s3://data/"), conf);
        try (FSDataOutputStream out = fs.create(new Path("s3://data/private/a.csv"))) {
            out.write(1);
        }
        Files.setPosixFilePermissions(root.resolve("data/private/a.csv"), java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));

        FileStatus file = fs.getFileStatus(new Path("s3://data/private/a.csv"));
        assertThat(file.getPermission().toString()).isEqualTo("rw-rw-rw-");
        assertThat(file.getOwner()).isEqualTo(System.getProperty("user.name"));
        assertThat(fs.listStatus(new Path("s3://data/"))[0].getPermission().toString()).isEqualTo("rwxrwxrwx");
    }

    @Test
    void allThreeSchemesSeeTheSameObjects() throws IOException {
        Files.createDirectories(root.resolve("shared/dir"));
        Files.writeString(root.resolve("shared/dir/file.txt"), "same bytes");
        for (String scheme : List.of("s3", "s3a", "s3n")) {
            FileSystem fs = FileSystem.get(URI.create(scheme + "://shared/"), conf);
            try (var in = fs.open(new Path(scheme + "://shared/dir/file.txt"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("same bytes");
            }
            assertThat(fs.listStatus(new Path(scheme + "://shared/dir"))[0].getPath().toString()).isEqualTo(scheme + "://shared/dir/file.txt");
        }
    }

    @Test
    void renameDeleteAndRelativePaths() throws IOException {
        FileSystem fs = FileSystem.get(URI.create("s3a://work/"), conf);
        fs.mkdirs(new Path("s3a://work/tmp/job"));
        try (FSDataOutputStream out = fs.create(new Path("s3a://work/tmp/job/part-0"))) {
            out.writeBytes("result");
        }
        assertThat(fs.rename(new Path("s3a://work/tmp/job"), new Path("s3a://work/out"))).isTrue();
        assertThat(root.resolve("work/out/part-0")).hasContent("result");
        fs.setWorkingDirectory(new Path("s3a://work/out"));
        assertThat(fs.getFileStatus(new Path("part-0")).getPath().toString()).isEqualTo("s3a://work/out/part-0");
        assertThat(fs.delete(new Path("s3a://work/out"), true)).isTrue();
        assertThat(root.resolve("work/out")).doesNotExist();
        assertThatThrownBy(() -> fs.getFileStatus(new Path("s3a://work/out/part-0")))
                .isInstanceOf(FileNotFoundException.class).hasMessage("No such object or prefix: s3a://work/out/part-0");
    }

    @Test
    void theFileContextApiWorksOnTheSameObjects() throws IOException {
        // Spark's streaming checkpoints and file sinks write through FileContext: create, rename over, list, delete.
        for (String scheme : List.of("s3", "s3a", "s3n")) {
            FileContext fc = FileContext.getFileContext(URI.create(scheme + "://stream/"), conf);
            Path offsets = new Path(scheme + "://stream/checkpoint/offsets");
            fc.mkdir(offsets, FsPermission.getDirDefault(), true);
            try (FSDataOutputStream out = fc.create(new Path(offsets, ".0.tmp"), EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
                    Options.CreateOpts.createParent())) {
                out.writeBytes("v1");
            }
            fc.rename(new Path(offsets, ".0.tmp"), new Path(offsets, "0"), Options.Rename.NONE);
            try (FSDataOutputStream out = fc.create(new Path(offsets, ".0.again"), EnumSet.of(CreateFlag.CREATE))) {
                out.writeBytes("v2");
            }
            fc.rename(new Path(offsets, ".0.again"), new Path(offsets, "0"), Options.Rename.OVERWRITE);

            assertThat(root.resolve("stream/checkpoint/offsets/0")).hasContent("v2");
            assertThat(Arrays.stream(fc.util().listStatus(offsets)).map(status -> status.getPath().toString()))
                    .containsExactly(scheme + "://stream/checkpoint/offsets/0");
            try (var in = fc.open(new Path(offsets, "0"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("v2");
            }
            assertThat(fc.getFileStatus(offsets).isDirectory()).isTrue();
            assertThat(fc.delete(new Path(scheme + "://stream/checkpoint"), true)).isTrue();
            assertThat(root.resolve("stream/checkpoint")).doesNotExist();
        }
    }

    @Test
    void aKeyCannotLeaveItsBucket() throws IOException {
        FileSystem fs = FileSystem.get(URI.create("s3://data/"), conf);
        for (String escaping : List.of("s3://data/../outside", "s3://data/../../outside", "s3://data/a/../../other/x")) {
            assertThatThrownBy(() -> fs.mkdirs(new Path(escaping)), escaping)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves bucket data");
            assertThatThrownBy(() -> fs.create(new Path(escaping)), escaping).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(root.resolve("other")).doesNotExist();
        assertThat(root.resolve("outside")).doesNotExist();
        assertThat(root.resolveSibling("outside")).doesNotExist();
        assertThat(root.getParent().resolveSibling("outside")).doesNotExist();
        // Dot segments that stay inside the bucket are just a way to write a key.
        assertThat(fs.mkdirs(new Path("s3://data/a/../b"))).isTrue();
        assertThat(root.resolve("data/b")).isDirectory();
    }

    @Test
    void aBucketsRootIsNeverDeleted() throws IOException {
        FileSystem fs = FileSystem.get(URI.create("s3://kept/"), conf);
        assertThat(fs.delete(new Path("s3://kept/"), true)).as("a bucket that holds nothing yet").isTrue();
        try (FSDataOutputStream out = fs.create(new Path("s3://kept/table/part-0"))) {
            out.write(1);
        }
        assertThat(fs.delete(new Path("s3://kept/"), true)).isFalse();
        assertThat(fs.delete(new Path("s3://kept"), true)).isFalse();
        assertThatThrownBy(() -> fs.delete(new Path("s3://kept/"), false)).isInstanceOf(IOException.class)
                .hasMessage("Cannot delete s3://kept/: it is the root of bucket kept");
        assertThat(root.resolve("kept/table/part-0")).exists();
        assertThat(fs.delete(new Path("s3://kept/table"), true)).isTrue();
        assertThat(fs.delete(new Path("s3://kept/"), true)).isTrue();
        assertThat(root.resolve("kept")).isDirectory();
    }

    @Test
    void aBucketRootIsADirectoryEvenBeforeItHoldsAnything() throws IOException {
        FileSystem fs = FileSystem.get(URI.create("s3://fresh/"), conf);
        FileStatus rootStatus = fs.getFileStatus(new Path("s3://fresh/"));
        assertThat(rootStatus.isDirectory()).isTrue();
        assertThat(rootStatus.getPath().toString()).isEqualTo("s3://fresh/");
        assertThat(fs.exists(new Path("s3://fresh/tables"))).isFalse();
        assertThat(fs.mkdirs(new Path("s3://fresh/tables/t1"))).isTrue();
        assertThat(root.resolve("fresh/tables/t1")).isDirectory();
    }

    @Test
    void withoutItsRootItSaysWhichSettingIsMissing() {
        Configuration bare = new Configuration(false);
        bare.set("fs.s3.impl", LocalObjectStoreFileSystem.class.getName());
        bare.set("fs.s3.impl.disable.cache", "true");
        assertThatThrownBy(() -> FileSystem.get(URI.create("s3://data/"), bare))
                .isInstanceOf(IOException.class).hasMessageContaining("the Hadoop setting hearth.object-store.root");
    }

    @Test
    void sparkWritesAndReadsParquetAndCsvThroughS3Paths() throws IOException {
        Files.createDirectories(root.resolve("lake/in"));
        Files.writeString(root.resolve("lake/in/people.csv"), "name,age\nada,36\ngrace,45\n");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("object store")
                .config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.s3.impl", LocalObjectStoreFileSystem.class.getName())
                .config("spark.hadoop.fs.s3a.impl", LocalObjectStoreFileSystem.class.getName())
                .config("spark.hadoop." + LocalObjectStoreFileSystem.ROOT, root.toString())
                .getOrCreate();
        try {
            Dataset<Row> people = spark.read().option("header", "true").option("inferSchema", "true").csv("s3://lake/in/");
            people.write().parquet("s3a://lake/out/people");
            assertThat(root.resolve("lake/out/people/_SUCCESS")).exists();
            Dataset<Row> back = spark.read().parquet("s3://lake/out/people");
            assertThat(back.orderBy("name").collectAsList()).extracting(Row::toString).containsExactly("[ada,36]", "[grace,45]");
            assertThat(back.inputFiles()).allMatch(file -> file.startsWith("s3://lake/out/people/part-"));
        } finally {
            spark.stop();
        }
    }

    @Test
    void aStreamingQueryKeepsItsCheckpointAndOutputInTheObjectStoreAndReadsOnlyNewFilesOnItsNextRun() throws Exception {
        Files.createDirectories(root.resolve("stream/incoming"));
        Files.writeString(root.resolve("stream/incoming/day-1.csv"), "id,city\n1,Lisbon\n2,Porto\n3,Faro\n");
        Files.writeString(root.resolve("stream/incoming/day-2.csv"), "id,city\n4,Braga\n5,Lisbon\n");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("streaming on the object store")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.hadoop.fs.s3.impl", LocalObjectStoreFileSystem.class.getName())
                .config("spark.hadoop.fs.s3.impl.disable.cache", "true")
                .config("spark.hadoop.fs.AbstractFileSystem.s3.impl", LocalObjectStoreFs.class.getName())
                .config("spark.hadoop." + LocalObjectStoreFileSystem.ROOT, root.toString())
                .getOrCreate();
        try {
            StructType schema = StructType.fromDDL("id BIGINT, city STRING");
            StreamCsvToParquet.Run first = StreamCsvToParquet.run(spark, "s3://stream/incoming", "s3://stream/out", "s3://stream/checkpoint", schema);
            assertThat(first).isEqualTo(new StreamCsvToParquet.Run(5, 1, 5));
            assertThat(root.resolve("stream/checkpoint/offsets/0")).exists();
            assertThat(root.resolve("stream/out/_spark_metadata/0")).exists();

            Files.writeString(root.resolve("stream/incoming/day-3.csv"), "id,city\n6,Porto\n7,Faro\n8,Faro\n9,Braga\n");
            StreamCsvToParquet.Run second = StreamCsvToParquet.run(spark, "s3://stream/incoming", "s3://stream/out", "s3://stream/checkpoint", schema);
            assertThat(second).as("only day-3.csv is read again").isEqualTo(new StreamCsvToParquet.Run(4, 1, 9));
            assertThat(spark.read().parquet("s3://stream/out").orderBy("id").collectAsList()).extracting(row -> row.getLong(0))
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        } finally {
            spark.stop();
        }
    }
}
