package io.hearth.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 API on Hearth's one port, with the AWS SDK for Java v2's default settings (flexible
 * checksums included); objects are plain files under {@code <data-dir>/s3}.
 */
class TestS3Api {
    private static TestingHearth hearth;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().start();
        s3 = hearth.s3();
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    private static Path objectFile(String bucket, String key) {
        return hearth.dataDirectory().resolve("s3").resolve(bucket).resolve(key);
    }

    @Test
    void objectsArePlainFilesAndReadBack() throws IOException {
        s3.createBucket(r -> r.bucket("plain-files"));
        s3.putObject(r -> r.bucket("plain-files").key("housing/v1/part-0.csv").contentType("text/csv"), RequestBody.fromString("a,b\n1,2\n"));
        assertThat(objectFile("plain-files", "housing/v1/part-0.csv")).hasContent("a,b\n1,2");

        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(r -> r.bucket("plain-files").key("housing/v1/part-0.csv"));
        assertThat(object.asUtf8String()).isEqualTo("a,b\n1,2\n");
        assertThat(object.response().contentLength()).isEqualTo(8);
        assertThat(s3.headObject(r -> r.bucket("plain-files").key("housing/v1/part-0.csv")).contentLength()).isEqualTo(8);

        Files.createDirectories(objectFile("plain-files", "written/by/spark"));
        Files.writeString(objectFile("plain-files", "written/by/spark/part-00000.parquet"), "not really parquet");
        assertThat(s3.getObjectAsBytes(r -> r.bucket("plain-files").key("written/by/spark/part-00000.parquet")).asUtf8String())
                .as("files written next to the S3 API are objects too").isEqualTo("not really parquet");
    }

    @Test
    void listingCopyAndDelete() {
        s3.createBucket(r -> r.bucket("listing"));
        for (String key : List.of("logs/a.txt", "logs/b.txt", "data/c.csv")) {
            s3.putObject(r -> r.bucket("listing").key(key), RequestBody.fromString(key));
        }
        ListObjectsV2Response logs = s3.listObjectsV2(r -> r.bucket("listing").prefix("logs/"));
        assertThat(logs.contents()).extracting(S3Object::key).containsExactly("logs/a.txt", "logs/b.txt");
        ListObjectsV2Response top = s3.listObjectsV2(r -> r.bucket("listing").delimiter("/"));
        assertThat(top.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("data/", "logs/");
        List<String> paged = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket("listing").maxKeys(1)).contents().forEach(o -> paged.add(o.key()));
        assertThat(paged).containsExactly("data/c.csv", "logs/a.txt", "logs/b.txt");

        s3.copyObject(r -> r.sourceBucket("listing").sourceKey("data/c.csv").destinationBucket("listing").destinationKey("data/copy.csv"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("listing").key("data/copy.csv")).asUtf8String()).isEqualTo("data/c.csv");
        s3.deleteObject(r -> r.bucket("listing").key("data/copy.csv"));
        assertThat(objectFile("listing", "data/copy.csv")).doesNotExist();
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("listing");
    }

    @Test
    void filesWrittenIntoABucketFolderByOtherProgramsAreObjects() throws IOException {
        s3.createBucket(r -> r.bucket("written-by-spark"));
        Path folder = objectFile("written-by-spark", "out/dt=2024-01-01");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("part-00000.csv"), "1,a\n");
        Files.writeString(folder.getParent().resolve("_SUCCESS"), "");

        ListObjectsV2Response all = s3.listObjectsV2(r -> r.bucket("written-by-spark").prefix("out/"));
        assertThat(all.contents()).extracting(S3Object::key).containsExactly("out/_SUCCESS", "out/dt=2024-01-01/part-00000.csv");
        assertThat(all.contents()).allSatisfy(object -> assertThat(object.eTag()).matches("\"[0-9a-f]{32}-1\""));
        ListObjectsV2Response folders = s3.listObjectsV2(r -> r.bucket("written-by-spark").prefix("out/").delimiter("/"));
        assertThat(folders.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("out/dt=2024-01-01/");
        ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(r -> r.bucket("written-by-spark").key("out/dt=2024-01-01/part-00000.csv"));
        assertThat(read.asUtf8String()).isEqualTo("1,a\n");
        assertThat(read.response().eTag()).isEqualTo(all.contents().get(1).eTag());
    }

    @Test
    void folderMarkersAreListedLikeEmptyObjects() throws IOException {
        s3.createBucket(r -> r.bucket("with-folders"));
        // S3A and the metastore make folders this way; a folder made by hand holds no object.
        s3.putObject(r -> r.bucket("with-folders").key("made/"), RequestBody.empty());
        Files.createDirectories(objectFile("with-folders", "by-hand"));

        ListObjectsV2Response all = s3.listObjectsV2(r -> r.bucket("with-folders"));
        assertThat(all.contents()).extracting(S3Object::key).containsExactly("made/");
        s3.putObject(r -> r.bucket("with-folders").key("made/part-0"), RequestBody.fromString("x"));
        s3.deleteObject(r -> r.bucket("with-folders").key("made/"));
        s3.putObject(r -> r.bucket("with-folders").key("made/sub/"), RequestBody.empty());
        s3.putObject(r -> r.bucket("with-folders").key("made/sub/part-1"), RequestBody.fromString("y"));
        // In any order: the store removes objects before the markers above them.
        assertThat(s3.deleteObjects(r -> r.bucket("with-folders").delete(d -> d.objects(o -> o.key("made/sub/"), o -> o.key("made/sub/part-1"))))
                .errors()).isEmpty();
        assertThat(s3.getObjectAsBytes(r -> r.bucket("with-folders").key("made/part-0")).asUtf8String())
                .as("deleting a folder marker keeps what is under it").isEqualTo("x");
        assertThat(all.contents()).allSatisfy(marker -> {
            assertThat(marker.size()).isZero();
            assertThat(marker.eTag()).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
            assertThat(marker.lastModified()).isAfter(java.time.Instant.now().minusSeconds(600));
        });
    }

    @Test
    void emptyObjectsLeaveTheConnectionUsable() {
        s3.createBucket(r -> r.bucket("empty-then-more"));
        // An empty PUT signed in streaming chunks still has a body (the final chunk's signature); left
        // unread, the connection used to close under the client's next request about one time in ten.
        for (int i = 0; i < 50; i++) {
            String folder = "folder-" + i + "/";
            s3.putObject(r -> r.bucket("empty-then-more").key(folder), RequestBody.empty());
            s3.putObject(r -> r.bucket("empty-then-more").key(folder + "part-0"), RequestBody.fromString("x"));
        }
        assertThat(s3.listObjectsV2(r -> r.bucket("empty-then-more")).keyCount()).isEqualTo(100);
    }

    @Test
    void aFoldersNameWithoutTheSlashNamesNoObject() {
        s3.createBucket(r -> r.bucket("slashless"));
        s3.putObject(r -> r.bucket("slashless").key("out/_temporary/"), RequestBody.empty());

        // S3A asks for "out/_temporary" to tell a file from a folder; an answer here reads as an empty file.
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("slashless").key("out/_temporary"))).isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("slashless").key("out/_temporary"))).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.headObject(r -> r.bucket("slashless").key("out/_temporary/")).contentLength()).isZero();
    }

    @Test
    void multipartUploadsAssembleTheParts(@TempDir Path scratch) throws IOException {
        s3.createBucket(r -> r.bucket("multipart"));
        byte[] first = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(first);
        byte[] second = "tail".getBytes(StandardCharsets.UTF_8);
        String uploadId = s3.createMultipartUpload(r -> r.bucket("multipart").key("big.bin")).uploadId();
        UploadPartResponse one = s3.uploadPart(r -> r.bucket("multipart").key("big.bin").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(first));
        UploadPartResponse two = s3.uploadPart(r -> r.bucket("multipart").key("big.bin").uploadId(uploadId).partNumber(2), RequestBody.fromBytes(second));
        s3.completeMultipartUpload(r -> r.bucket("multipart").key("big.bin").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(one.eTag()).checksumCRC32(one.checksumCRC32()).build(),
                CompletedPart.builder().partNumber(2).eTag(two.eTag()).checksumCRC32(two.checksumCRC32()).build())));
        byte[] stored = Files.readAllBytes(objectFile("multipart", "big.bin"));
        assertThat(stored).hasSize(first.length + second.length);
        assertThat(java.util.Arrays.copyOfRange(stored, first.length, stored.length)).isEqualTo(second);

        Path file = scratch.resolve("upload.bin");
        Files.write(file, first);
        s3.putObject(r -> r.bucket("multipart").key("from-file.bin"), RequestBody.fromFile(file));
        assertThat(objectFile("multipart", "from-file.bin")).hasSameBinaryContentAs(file);
    }

    @Test
    void errorsHaveS3sTypesAndXmlShape() throws Exception {
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("no-such-bucket-here").key("x")))
                .isInstanceOf(NoSuchBucketException.class);
        s3.createBucket(r -> r.bucket("errors"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("errors").key("missing.txt")))
                .isInstanceOfSatisfying(NoSuchKeyException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.createBucket(r -> r.bucket("errors")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou");
                });
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("errors").key("missing.txt").range("bytes=100-200")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        s3.putObject(r -> r.bucket("errors").key("keep.txt"), RequestBody.fromString("kept"));
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("errors").key("keep.txt").range("bytes=100-200")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                });
        assertThatThrownBy(() -> s3.deleteBucket(r -> r.bucket("errors")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
                });
        assertThat(s3.getObjectAsBytes(r -> r.bucket("errors").key("keep.txt")).asUtf8String()).isEqualTo("kept");

        // The SDK refuses a bad bucket name itself, so the request is sent as other clients would.
        HttpResponse<String> badName = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/Bad_Bucket"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("<Code>InvalidBucketName</Code>");

        HttpResponse<String> raw = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/errors/missing.txt")).GET());
        assertThat(raw.statusCode()).isEqualTo(404);
        assertThat(raw.body()).contains("<Error>").contains("<Code>NoSuchKey</Code>");
    }

    @Test
    void keysWithSegmentsNoFileNameCanHoldWorkLikeAnyOther() throws IOException {
        s3.createBucket(r -> r.bucket("odd-keys"));
        String longSegment = "s".repeat(300);
        String unicodeSegment = "\u00e9t\u00e9-\uD83D\uDE80".repeat(40);
        List<String> keys = List.of(
                "folder/" + longSegment + ".csv",
                longSegment + "/" + unicodeSegment + "/part-0",
                ".", "..", "a/./b", "a/../b", "a//b", "/leading", "x".repeat(1000) + "/y", "name~h" + "0".repeat(64));
        for (String key : keys) {
            s3.putObject(r -> r.bucket("odd-keys").key(key), RequestBody.fromString("content of " + key));
        }
        for (String key : keys) {
            assertThat(s3.getObjectAsBytes(r -> r.bucket("odd-keys").key(key)).asUtf8String()).as(key).isEqualTo("content of " + key);
            assertThat(s3.headObject(r -> r.bucket("odd-keys").key(key)).contentLength()).as(key).isEqualTo(("content of " + key).getBytes(StandardCharsets.UTF_8).length);
        }
        List<String> listed = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket("odd-keys").maxKeys(3)).contents().forEach(o -> listed.add(o.key()));
        assertThat(listed).containsExactlyElementsOf(keys.stream().sorted().toList());
        assertThat(s3.listObjectsV2(r -> r.bucket("odd-keys").prefix(longSegment + "/")).contents()).extracting(S3Object::key)
                .containsExactly(longSegment + "/" + unicodeSegment + "/part-0");
        assertThat(s3.listObjectsV2(r -> r.bucket("odd-keys").prefix("folder/sss").delimiter("/")).contents()).extracting(S3Object::key)
                .containsExactly("folder/" + longSegment + ".csv");
        assertThat(s3.listObjectsV2(r -> r.bucket("odd-keys").delimiter("/")).commonPrefixes()).extracting(p -> p.prefix())
                .contains("/", longSegment + "/", "a/");

        String multipartKey = longSegment + "/../" + longSegment + ".bin";
        String uploadId = s3.createMultipartUpload(r -> r.bucket("odd-keys").key(multipartKey)).uploadId();
        UploadPartResponse only = s3.uploadPart(r -> r.bucket("odd-keys").key(multipartKey).uploadId(uploadId).partNumber(1),
                RequestBody.fromString("in parts"));
        s3.completeMultipartUpload(r -> r.bucket("odd-keys").key(multipartKey).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(only.eTag()).build())));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("odd-keys").key(multipartKey)).asUtf8String()).isEqualTo("in parts");
        s3.deleteObject(r -> r.bucket("odd-keys").key(multipartKey));

        s3.copyObject(r -> r.sourceBucket("odd-keys").sourceKey(keys.get(0)).destinationBucket("odd-keys").destinationKey(keys.get(0) + ".copy"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("odd-keys").key(keys.get(0) + ".copy")).asUtf8String()).isEqualTo("content of " + keys.get(0));
        try (var files = Files.walk(hearth.dataDirectory())) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.startsWith(hearth.dataDirectory().resolve("s3/odd-keys"))))
                    .as("objects stay in their bucket's folder").noneMatch(f -> f.getFileName().toString().startsWith("content"));
        }
        for (String key : keys) {
            s3.deleteObject(r -> r.bucket("odd-keys").key(key));
        }
        s3.deleteObject(r -> r.bucket("odd-keys").key(keys.get(0) + ".copy"));
        assertThat(s3.listObjectsV2(r -> r.bucket("odd-keys")).contents()).isEmpty();

        String tooLong = "k".repeat(1025);
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket("odd-keys").key(tooLong), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError");
                });
    }

    @Test
    void deletingTheDotObjectOfAnEmptyBucketKeepsTheBucket() throws Exception {
        s3.createBucket(r -> r.bucket("dot-delete"));
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/dot-delete/.")).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("dot-delete");
        assertThat(hearth.dataDirectory().resolve("s3/dot-delete")).isDirectory();
    }

    @Test
    void aCopySourceOutsideTheBucketsIsNoSuchBucket() throws Exception {
        s3.createBucket(r -> r.bucket("copy-target"));
        Files.writeString(hearth.dataDirectory().resolve("secret.txt"), "not an object");
        for (String source : List.of("/../secret.txt", "../secret.txt", "./copy-target/x", "%2E%2E/secret.txt")) {
            HttpResponse<String> copy = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/copy-target/stolen"))
                    .header("x-amz-copy-source", source).PUT(HttpRequest.BodyPublishers.noBody()));
            assertThat(copy.statusCode()).as(source).isEqualTo(404);
            assertThat(copy.body()).as(source).contains("<Code>NoSuchBucket</Code>");
        }
        assertThat(objectFile("copy-target", "stolen")).doesNotExist();
    }

    @Test
    void malformedRequestDocumentsAreMalformedXml() throws Exception {
        s3.createBucket(r -> r.bucket("bad-xml"));
        for (String document : List.of("garbage<", "<Delete><Object><Key>x</Key></Object><Object>", "")) {
            HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/bad-xml?delete"))
                    .POST(HttpRequest.BodyPublishers.ofString(document)));
            assertThat(delete.statusCode()).as(document).isEqualTo(400);
            assertThat(delete.body()).as(document).contains("<Code>MalformedXML</Code>");
        }
        s3.putObject(r -> r.bucket("bad-xml").key("k"), RequestBody.fromString("x"));
        for (String path : List.of("/bad-xml?acl", "/bad-xml/k?acl")) {
            HttpResponse<String> acl = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + path))
                    .PUT(HttpRequest.BodyPublishers.ofString("<AccessControlPolicy><AccessControlList/></AccessControlPolicy>")));
            assertThat(acl.statusCode()).as(path).isEqualTo(400);
            assertThat(acl.body()).as(path).contains("<Code>MalformedACLError</Code>");
        }
        String uploadId = s3.createMultipartUpload(r -> r.bucket("bad-xml").key("k")).uploadId();
        HttpResponse<String> complete = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/bad-xml/k?uploadId=" + uploadId))
                .POST(HttpRequest.BodyPublishers.ofString("<CompleteMultipartUpload><Part>")));
        assertThat(complete.statusCode()).isEqualTo(400);
        assertThat(complete.body()).contains("<Code>MalformedXML</Code>");
    }

    @Test
    void aRangeThatIsNoRangeIsIgnoredAsHttpSays() throws Exception {
        s3.createBucket(r -> r.bucket("ranges"));
        s3.putObject(r -> r.bucket("ranges").key("digits"), RequestBody.fromString("0123456789"));
        URI digits = URI.create(hearth.endpoint() + "/ranges/digits");
        for (String ignored : List.of("bytes=abc", "bytes=5-2", "bytes=-", "items=0-1", "bytes=99999999999999999999-")) {
            HttpResponse<String> whole = send(HttpRequest.newBuilder(digits).header("Range", ignored).GET());
            assertThat(whole.statusCode()).as(ignored).isEqualTo(200);
            assertThat(whole.body()).as(ignored).isEqualTo("0123456789");
        }
        HttpResponse<String> part = send(HttpRequest.newBuilder(digits).header("Range", "bytes=2-4").GET());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("234");
        assertThat(send(HttpRequest.newBuilder(digits).header("Range", "bytes=-3").GET()).body()).isEqualTo("789");
        HttpResponse<String> none = send(HttpRequest.newBuilder(digits).header("Range", "bytes=-0").GET());
        assertThat(none.statusCode()).isEqualTo(416);
        assertThat(none.body()).contains("<Code>InvalidRange</Code>").contains("The requested range is not satisfiable");
        assertThat(send(HttpRequest.newBuilder(digits).header("Range", "bytes=10-").GET()).body()).contains("<Code>InvalidRange</Code>");
    }

    @Test
    void aBodyNotInTheEncodingItDeclaresIsRefusedAndLeavesNothing() throws Exception {
        s3.createBucket(r -> r.bucket("streaming"));
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/streaming/plain"))
                .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .PUT(HttpRequest.BodyPublishers.ofString("a plain body, not aws-chunked")));
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("<Code>IncompleteBody</Code>");
        HttpResponse<String> badChunk = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/streaming/chunks"))
                .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .PUT(HttpRequest.BodyPublishers.ofString("zz;chunk-signature=00\r\nabc\r\n0;chunk-signature=00\r\n\r\n")));
        assertThat(badChunk.statusCode()).isEqualTo(400);
        assertThat(s3.listObjectsV2(r -> r.bucket("streaming")).contents()).isEmpty();
        try (var files = Files.list(hearth.dataDirectory().resolve("s3/streaming"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void unfinishedAndBogusUploadsLeaveNothingInTheBucket() throws Exception {
        s3.createBucket(r -> r.bucket("uploads"));
        HttpResponse<String> bogusPart = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/uploads/k?partNumber=1&uploadId=bogus"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(bogusPart.statusCode()).isEqualTo(404);
        assertThat(bogusPart.body()).contains("<Code>NoSuchUpload</Code>").contains("<UploadId>bogus</UploadId>");
        HttpResponse<String> bogusComplete = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/uploads/k?uploadId=bogus"))
                .POST(HttpRequest.BodyPublishers.ofString("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>")));
        assertThat(bogusComplete.statusCode()).isEqualTo(404);
        assertThat(bogusComplete.body()).contains("<Code>NoSuchUpload</Code>");
        assertThatThrownBy(() -> s3.abortMultipartUpload(r -> r.bucket("uploads").key("k").uploadId("0123456789abcdef0123456789abcdef")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));

        String pending = s3.createMultipartUpload(r -> r.bucket("uploads").key("dir/pending.bin")).uploadId();
        s3.uploadPart(r -> r.bucket("uploads").key("dir/pending.bin").uploadId(pending).partNumber(1), RequestBody.fromString("part one"));
        String aborted = s3.createMultipartUpload(r -> r.bucket("uploads").key("aborted.bin")).uploadId();
        s3.uploadPart(r -> r.bucket("uploads").key("aborted.bin").uploadId(aborted).partNumber(1), RequestBody.fromString("part"));
        s3.abortMultipartUpload(r -> r.bucket("uploads").key("aborted.bin").uploadId(aborted));
        assertThatThrownBy(() -> s3.uploadPart(r -> r.bucket("uploads").key("other-key").uploadId(pending).partNumber(2), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));

        assertThat(s3.listObjectsV2(r -> r.bucket("uploads")).contents()).isEmpty();
        assertThat(s3.listMultipartUploads(r -> r.bucket("uploads")).uploads()).extracting(u -> u.uploadId()).containsExactly(pending);
        assertThat(s3.listParts(r -> r.bucket("uploads").key("dir/pending.bin").uploadId(pending)).parts()).extracting(p -> p.size()).containsExactly(8L);
        try (var files = Files.walk(hearth.dataDirectory().resolve("s3/uploads"))) {
            assertThat(files.filter(path -> !path.equals(hearth.dataDirectory().resolve("s3/uploads")))).isEmpty();
        }
        s3.abortMultipartUpload(r -> r.bucket("uploads").key("dir/pending.bin").uploadId(pending));
        assertThat(s3.listMultipartUploads(r -> r.bucket("uploads")).uploads()).isEmpty();
        s3.deleteBucket(r -> r.bucket("uploads"));
    }

    @Test
    void aMultipartObjectHasOneETagInEveryAnswer() throws Exception {
        s3.createBucket(r -> r.bucket("etags"));
        byte[] first = new byte[5 * 1024 * 1024];
        new Random(11).nextBytes(first);
        String uploadId = s3.createMultipartUpload(r -> r.bucket("etags").key("three.bin").contentType("application/x-test")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int number = 1; number <= 3; number++) {
            int partNumber = number;
            byte[] bytes = number < 3 ? first : "tail".getBytes(StandardCharsets.UTF_8);
            UploadPartResponse part = s3.uploadPart(r -> r.bucket("etags").key("three.bin").uploadId(uploadId).partNumber(partNumber),
                    RequestBody.fromBytes(bytes));
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.eTag()).build());
        }
        String eTag = s3.completeMultipartUpload(r -> r.bucket("etags").key("three.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))).eTag();
        assertThat(eTag).matches("\"[0-9a-f]{32}-3\"");
        assertThat(s3.headObject(r -> r.bucket("etags").key("three.bin")).eTag()).isEqualTo(eTag);
        assertThat(s3.headObject(r -> r.bucket("etags").key("three.bin")).contentType()).isEqualTo("application/x-test");
        assertThat(s3.listObjectsV2(r -> r.bucket("etags")).contents()).extracting(S3Object::eTag).containsExactly(eTag);
        ResponseBytes<GetObjectResponse> matched = s3.getObjectAsBytes(r -> r.bucket("etags").key("three.bin").ifMatch(eTag));
        assertThat(matched.response().eTag()).isEqualTo(eTag);
        assertThat(matched.asByteArray()).hasSize(2 * first.length + 4);

        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("etags").key("three.bin").ifMatch("\"0123\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("At least one of the pre-conditions you specified did not hold");
                });
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("etags").key("three.bin").ifNoneMatch(eTag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("etags").key("three.bin").ifMatch("\"0123\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        java.time.Instant modified = s3.headObject(r -> r.bucket("etags").key("three.bin")).lastModified();
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("etags").key("three.bin").ifModifiedSince(modified)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("etags").key("three.bin").ifUnmodifiedSince(modified.minusSeconds(60))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("etags").key("three.bin").ifModifiedSince(modified.minusSeconds(60))).asByteArray())
                .hasSize(2 * first.length + 4);
        HttpResponse<String> raw = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/etags/three.bin")).header("If-Match", "\"nope\"").GET());
        assertThat(raw.body()).contains("<Code>PreconditionFailed</Code>").contains("<Condition>If-Match</Condition>").doesNotContain("stub");
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")
                .header("x-amz-date", "20261121T000000Z");
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEmrApiAndAStatusPageShareThePort() throws Exception {
        assertThat(hearth.emr().listClusters().clusters()).isNotNull();
        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(hearth.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"service\" : \"Hearth\"").contains("ElasticMapReduce");
    }
}
