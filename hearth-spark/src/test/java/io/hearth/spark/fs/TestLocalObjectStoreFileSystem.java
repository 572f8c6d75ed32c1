package io.hearth.spark.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
}
