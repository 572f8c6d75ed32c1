package io.hearth.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestLocationResolver {
    private static final Path OBJECT_STORE = Path.of("/data/hearth/s3");
    private static final Path WORKING_DIRECTORY = Path.of("/home/ml/project");

    private final LocationResolver resolver = new LocationResolver(OBJECT_STORE, WORKING_DIRECTORY);

    private HearthException rejection(String location, String member) {
        HearthException error = catchThrowableOfType(HearthException.class, () -> resolver.resolve(location, member));
        assertThat(error).as("resolve(%s)", location).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        return error;
    }

    @Test
    void s3LocationIsUnderTheObjectStore() {
        assertThat(resolver.resolve("s3://code/jobs/train.py", "Jar")).isEqualTo(Path.of("/data/hearth/s3/code/jobs/train.py"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3a://code/jobs/train.py", "s3n://code/jobs/train.py", "S3://code/jobs/train.py", "  s3://code/jobs/train.py  "})
    void s3aS3nUpperCaseAndPaddedFormsMapTheSameWay(String location) {
        assertThat(resolver.resolve(location, "Jar")).isEqualTo(Path.of("/data/hearth/s3/code/jobs/train.py"));
    }

    @Test
    void bucketAloneIsTheBucketDirectory() {
        assertThat(resolver.resolve("s3://logs", "LogUri")).isEqualTo(Path.of("/data/hearth/s3/logs"));
        assertThat(resolver.resolve("s3://logs/", "LogUri")).isEqualTo(Path.of("/data/hearth/s3/logs"));
    }

    @Test
    void dotDotInsideTheBucketIsNormalized() {
        assertThat(resolver.resolve("s3://code/a/../b.py", "Jar")).isEqualTo(Path.of("/data/hearth/s3/code/b.py"));
    }

    @Test
    void keyLeavingItsBucketIsRejected() {
        HearthException error = rejection("s3://code/../other/secret", "Jar");

        assertThat(error).hasMessage("Jar 's3://code/../other/secret' leaves its bucket");
    }

    @Test
    void keyLeavingTheObjectStoreIsRejected() {
        assertThat(rejection("s3://code/../../../etc/passwd", "Jar")).hasMessage("Jar 's3://code/../../../etc/passwd' leaves its bucket");
    }

    @Test
    void dotBucketIsRejected() {
        assertThat(rejection("s3://./etc", "Jar")).hasMessage("Jar 's3://./etc' leaves its bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://", "s3:///key", "s3a:///key", "s3://../etc/passwd"})
    void locationWithoutABucketIsRejected(String location) {
        assertThat(rejection(location, "LogUri")).hasMessage("LogUri '" + location + "' does not name a bucket");
    }

    @Test
    void fileUriIsItsPath() {
        assertThat(resolver.resolve("file:///x", "Jar")).isEqualTo(Path.of("/x"));
        assertThat(resolver.resolve("file:///opt/jobs/../lib/app.jar", "Jar")).isEqualTo(Path.of("/opt/lib/app.jar"));
    }

    @Test
    void fileUriWithAHostIsRejected() {
        assertThat(rejection("file://server/x", "Jar")).hasMessage("Jar 'file://server/x' is not a valid file URI");
    }

    @Test
    void absolutePathIsItself() {
        assertThat(resolver.resolve("/opt/jobs/app.jar", "Jar")).isEqualTo(Path.of("/opt/jobs/app.jar"));
    }

    @Test
    void relativePathResolvesAgainstTheWorkingDirectory() {
        assertThat(resolver.resolve("jobs/app.jar", "Jar")).isEqualTo(Path.of("/home/ml/project/jobs/app.jar"));
        assertThat(resolver.resolve("../shared/app.jar", "Jar")).isEqualTo(Path.of("/home/ml/shared/app.jar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs://namenode:8020/jobs/app.jar", "http://example.com/app.jar", "gs://bucket/app.jar"})
    void otherSchemesAreRejectedNamingTheMember(String location) {
        assertThat(rejection(location, "HadoopJarStep.Jar")).hasMessage("HadoopJarStep.Jar '" + location
                + "' uses a scheme Hearth cannot read; use a local path, file:// or s3://");
    }

    @Test
    void blankLocationIsRejectedNamingTheMember() {
        assertThat(rejection("   ", "LogUri")).hasMessage("LogUri must not be empty");
    }

    @Test
    void joinKeepsTheFormOfTheLocation() {
        assertThat(LocationResolver.join("s3://logs/emr", "j-1/steps")).isEqualTo("s3://logs/emr/j-1/steps");
        assertThat(LocationResolver.join("s3a://logs/emr/", "j-1")).isEqualTo("s3a://logs/emr/j-1");
        assertThat(LocationResolver.join("file:///var/log", "j-1")).isEqualTo("file:///var/log/j-1");
        assertThat(LocationResolver.join("logs", "j-1")).isEqualTo("logs/j-1");
    }

    @Test
    void aLocationToWriteUnderMustBeInABucketThatExists(@TempDir Path dataDirectory) throws IOException {
        LocationResolver local = new LocationResolver(dataDirectory.resolve("s3"), WORKING_DIRECTORY);
        HearthException error = catchThrowableOfType(HearthException.class, () -> local.resolveForWriting("s3a://logs/emr/", "LogUri"));
        assertThat(error).hasMessage("LogUri 's3a://logs/emr/' is in bucket logs, which does not exist; create the bucket first (aws s3 mb s3://logs)");
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);

        Files.createDirectories(dataDirectory.resolve("s3/logs"));
        assertThat(local.resolveForWriting("s3a://logs/emr/", "LogUri")).isEqualTo(dataDirectory.resolve("s3/logs/emr"));
        assertThat(local.resolveForWriting(dataDirectory.resolve("elsewhere").toUri().toString(), "LogUri"))
                .as("local folders are made as needed").isEqualTo(dataDirectory.resolve("elsewhere"));
    }
}
