package io.hearth.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearth.server.HearthException;
import io.hearth.server.config.StorageConfig;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Local copies of an S3-compatible service's objects; the service is a Hearth's S3 API over HTTP. */
class TestS3ServiceCopies {
    private static TestingHearth service;
    private static S3Client remote;

    @BeforeAll
    static void start() {
        service = TestingHearth.builder().start();
        remote = service.s3();
        remote.createBucket(r -> r.bucket("copies"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static StorageConfig storage(Duration uploadInterval) {
        return new StorageConfig(service.endpoint(), "AKIACOPIES", "copies-secret", "us-east-1", true, uploadInterval);
    }

    private static String remoteText(String key) {
        return remote.getObjectAsBytes(r -> r.bucket("copies").key(key)).asUtf8String();
    }

    @Test
    void readsFetchTheObjectAndMissingOnesNameTheField(@TempDir Path scratch) {
        remote.putObject(r -> r.bucket("copies").key("jobs/step.jar"), RequestBody.fromString("version 1"));
        try (S3ServiceCopies copies = S3ServiceCopies.start(scratch, storage(Duration.ofHours(1)))) {
            LocationResolver locations = new LocationResolver(copies, scratch);

            Path jar = locations.fetch("s3://copies/jobs/step.jar", "HadoopJarStep.Jar");
            assertThat(jar).isEqualTo(scratch.resolve("copies/jobs/step.jar")).hasContent("version 1");
            remote.putObject(r -> r.bucket("copies").key("jobs/step.jar"), RequestBody.fromString("version 2"));
            assertThat(locations.fetch("s3a://copies/jobs/step.jar", "HadoopJarStep.Jar")).as("every read fetches anew").hasContent("version 2");

            assertThatThrownBy(() -> locations.fetch("s3://copies/jobs/missing.jar", "HadoopJarStep.Jar"))
                    .isInstanceOf(HearthException.class)
                    .hasMessage("HadoopJarStep.Jar s3://copies/jobs/missing.jar does not exist in the S3 service at " + service.endpoint());
            assertThat(locations.fetch("local/file.txt", "ScriptBootstrapAction.Path")).as("other locations are untouched").isEqualTo(scratch.resolve("local/file.txt"));
        }
    }

    @Test
    void aLogLocationMustBeInABucketTheServiceHas(@TempDir Path scratch) {
        try (S3ServiceCopies copies = S3ServiceCopies.start(scratch, storage(Duration.ofHours(1)))) {
            LocationResolver locations = new LocationResolver(copies, scratch);
            assertThat(locations.resolveForWriting("s3://copies/logs/", "LogUri")).isEqualTo(scratch.resolve("copies/logs"));
            assertThatThrownBy(() -> locations.resolveForWriting("s3://absent/logs/", "LogUri"))
                    .isInstanceOf(HearthException.class)
                    .hasMessage("LogUri 's3://absent/logs/' is in bucket absent, which does not exist in the S3 service at " + service.endpoint()
                            + "; create the bucket first (aws s3 mb s3://absent)");
            assertThat(remote.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("absent");
        }
    }

    @Test
    void writtenFilesGoUpWhenPublishedAndOnlyWhenChanged(@TempDir Path scratch) throws IOException {
        try (S3ServiceCopies copies = S3ServiceCopies.start(scratch, storage(Duration.ofHours(1)))) {
            LocationResolver locations = new LocationResolver(copies, scratch);
            Path log = locations.resolve("s3://copies/logs/j-1/steps/s-1/stdout", "LogUri");
            Files.createDirectories(log.getParent());
            Files.writeString(log, "first line\n");

            locations.publish(log.getParent());
            assertThat(remoteText("logs/j-1/steps/s-1/stdout")).isEqualTo("first line\n");

            remote.putObject(r -> r.bucket("copies").key("logs/j-1/steps/s-1/stdout"), RequestBody.fromString("changed in the service"));
            locations.publish(log.getParent());
            assertThat(remoteText("logs/j-1/steps/s-1/stdout")).as("an unchanged file is not uploaded again").isEqualTo("changed in the service");

            Files.writeString(log, "second line\n", StandardOpenOption.APPEND);
            locations.publish(scratch.resolve("copies/logs"));
            assertThat(remoteText("logs/j-1/steps/s-1/stdout")).isEqualTo("first line\nsecond line\n");
        }
    }

    @Test
    void growingFilesGoUpEveryIntervalAndTheRestOnClose(@TempDir Path scratch) throws IOException {
        Path log;
        try (S3ServiceCopies copies = S3ServiceCopies.start(scratch, storage(Duration.ofMillis(200)))) {
            log = new LocationResolver(copies, scratch).resolve("s3://copies/growing/stderr", "LogUri");
            Files.createDirectories(log.getParent());
            Files.writeString(log, "starting\n");
            await().atMost(Duration.ofSeconds(20)).ignoreException(NoSuchKeyException.class).untilAsserted(() -> assertThat(remoteText("growing/stderr")).isEqualTo("starting\n"));
            Files.writeString(log, "ending\n", StandardOpenOption.APPEND);
        }
        assertThat(remoteText("growing/stderr")).isEqualTo("starting\nending\n");
    }

    @Test
    void uploadsToAMissingBucketAreRetriedWithoutFailingTheCaller(@TempDir Path scratch) throws IOException {
        try (S3ServiceCopies copies = S3ServiceCopies.start(scratch, storage(Duration.ofHours(1)))) {
            Path log = scratch.resolve("not-yet-made/stdout");
            Files.createDirectories(log.getParent());
            Files.writeString(log, "kept locally\n");
            copies.upload(log);

            remote.createBucket(r -> r.bucket("not-yet-made"));
            copies.upload(log);
            assertThat(remote.getObjectAsBytes(r -> r.bucket("not-yet-made").key("stdout")).asUtf8String()).isEqualTo("kept locally\n");
        }
    }
}
