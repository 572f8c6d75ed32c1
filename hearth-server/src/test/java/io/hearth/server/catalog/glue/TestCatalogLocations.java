package io.hearth.server.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestCatalogLocations {
    @TempDir
    Path home;

    private Path data;
    private Path lake;
    private CatalogLocations locations;

    @BeforeEach
    void layOut() throws IOException {
        data = Files.createDirectories(home.resolve("hearth-data"));
        Files.createDirectories(data.resolve("warehouse"));
        Files.createDirectories(data.resolve("s3/lake"));
        Files.createDirectories(data.resolve("db"));
        lake = Files.createDirectories(home.resolve("mnt/lake"));
        locations = new CatalogLocations(data, data.resolve("warehouse"), data.resolve("s3"), List.of(lake));
    }

    private String refusal(String location) {
        HearthException error = catchThrowableOfType(HearthException.class, () -> locations.check(location, "TableInput.StorageDescriptor.Location"));
        assertThat(error).as("check(%s)", location).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(error.getMessage()).startsWith("TableInput.StorageDescriptor.Location '" + location + "' ");
        return error.getMessage();
    }

    @Test
    void objectLocationsAreNormalisedWithinTheirBucket() {
        assertThat(locations.check("s3://lake/a/./b//c/../d/", "m")).isEqualTo("s3://lake/a/b/d/");
        assertThat(locations.check("s3://lake/housing/v1", "m")).isEqualTo("s3://lake/housing/v1");
        assertThat(locations.check("S3A://lake/x/", "m")).isEqualTo("s3a://lake/x/");
        assertThat(locations.check("s3n://lake", "m")).isEqualTo("s3n://lake/");
        assertThat(locations.check("s3://lake/x/..", "m")).isEqualTo("s3://lake/");
        assertThat(locations.check("s3://any-bucket/x", "m")).as("buckets are not looked up").isEqualTo("s3://any-bucket/x");
    }

    @Test
    void objectLocationsLeavingTheirBucketAreRefused() {
        assertThat(refusal("s3://lake/../../../outside-X")).endsWith("leaves its bucket");
        assertThat(refusal("s3://lake/a/../../other/x")).endsWith("leaves its bucket");
        assertThat(refusal("s3a://lake/..")).endsWith("leaves its bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://b/../../../outside-X", "s3://My_Bucket/x", "s3://lake:9000/x", "s3://user@lake/x", "s3://../x", "s3://./x"})
    void objectLocationsNeedAValidBucketName(String location) {
        assertThat(refusal(location)).contains("does not name a valid bucket: Bucket name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3:///x", "s3://", "s3:lake/x", "s3:/lake/x"})
    void objectLocationsNeedABucket(String location) {
        assertThat(refusal(location)).contains("does not name a bucket: write s3://bucket/key");
    }

    @Test
    void localLocationsInTheWarehouseTheObjectStoreAndTheAllowedRootsAreTaken() {
        assertThat(locations.check(data.resolve("warehouse/sales.db/orders") + "/", "m")).isEqualTo(data.resolve("warehouse/sales.db/orders") + "/");
        assertThat(locations.check("file://" + data.resolve("warehouse/sales.db"), "m")).isEqualTo("file://" + data.resolve("warehouse/sales.db"));
        assertThat(locations.check("file:" + data.resolve("warehouse/x/../y.db"), "m")).isEqualTo("file:" + data.resolve("warehouse/y.db"));
        assertThat(locations.check("file://localhost" + data.resolve("s3/lake/t"), "m")).isEqualTo("file://" + data.resolve("s3/lake/t"));
        assertThat(locations.check(lake.resolve("events").toString(), "m")).isEqualTo(lake.resolve("events").toString());
        assertThat(locations.check(lake.toString(), "m")).isEqualTo(lake.toString());
    }

    @Test
    void localLocationsElsewhereAreRefusedNamingWhereTheyMayGo() {
        String message = refusal(home.resolve("elsewhere/t").toString());
        assertThat(message).isEqualTo("TableInput.StorageDescriptor.Location '" + home.resolve("elsewhere/t") + "' is outside the folders where "
                + "the catalog may keep data: the data directory's warehouse (" + data.resolve("warehouse") + ") and object store ("
                + data.resolve("s3") + "), and the folders of setting catalog.allowed-local-roots (" + lake + ")");
        refusal("file:///etc/cron.d");
        refusal("file:" + data.resolve("warehouse/../../outside-X"));
        refusal("/" + data.resolve("warehouse").relativize(Path.of("/")) + "/outside");
    }

    @Test
    void hearthsOwnStateIsNeverALocation() {
        assertThat(refusal(data.resolve("db").toString())).contains("is in Hearth's data directory but not in its warehouse");
        assertThat(refusal("file://" + data.resolve("warehouse/../db/"))).contains("is in Hearth's data directory but not in its warehouse");
        assertThat(refusal(data.resolve("warehouse").toString())).as("the warehouse itself").contains("not in its warehouse");
        assertThat(refusal(data.resolve("s3").toString())).as("the object store itself").contains("not in its warehouse");
        assertThat(refusal(data.resolve("s3/lake").toString())).as("a bucket's folder").contains("inside a bucket of its object store");
        assertThat(refusal(data.toString())).contains("holds Hearth's data directory");
        assertThat(refusal(home.toString())).contains("holds Hearth's data directory");
        assertThat(refusal("/")).contains("holds Hearth's data directory");
    }

    @Test
    void aRootThatHoldsTheDataDirectoryStillKeepsItsStateOut() {
        CatalogLocations wide = new CatalogLocations(data, data.resolve("warehouse"), data.resolve("s3"), List.of(home));
        assertThat(wide.check(home.resolve("exports/t").toString(), "m")).isEqualTo(home.resolve("exports/t").toString());
        HearthException error = catchThrowableOfType(HearthException.class, () -> wide.check(data.resolve("db/x").toString(), "m"));
        assertThat(error).hasMessageContaining("is in Hearth's data directory but not in its warehouse");
    }

    @Test
    void symbolicLinksAreFollowedBeforeTheCheck() throws IOException {
        Path outside = Files.createDirectories(home.resolve("outside"));
        Files.createSymbolicLink(data.resolve("warehouse/escape"), outside);
        Files.createSymbolicLink(data.resolve("warehouse/to-lake"), lake);
        Files.createSymbolicLink(data.resolve("warehouse/dangling"), home.resolve("nowhere/at-all"));

        assertThat(refusal(data.resolve("warehouse/escape/t").toString())).contains("is outside the folders where the catalog may keep data");
        assertThat(locations.check(data.resolve("warehouse/to-lake/t").toString(), "m")).isEqualTo(data.resolve("warehouse/to-lake/t").toString());
        assertThat(refusal(data.resolve("warehouse/dangling/t").toString())).endsWith("goes through a symbolic link that cannot be followed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs://namenode/warehouse/t", "gs://bucket/t", "abfs://c@account.dfs.core.windows.net/t", "http://example.com/t"})
    void otherSchemesAreRefused(String location) {
        assertThat(refusal(location)).contains("uses the scheme").endsWith("use s3://bucket/key, file:///path or /path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tables/t", "./t", "  ", "file:tables/t"})
    void relativeLocationsAreRefused(String location) {
        assertThat(refusal(location)).contains("is not an absolute location");
    }

    @Test
    void fileLocationsOnAnotherHostAreRefused() {
        assertThat(refusal("file://server/share/t")).contains("names the host server");
    }

    @Test
    void noLocationIsNoLocation() {
        assertThat(locations.check(null, "m")).isNull();
        assertThat(locations.check("", "m")).isEmpty();
    }

    @Test
    void theLocationAnObjectAlreadyHasIsKept() {
        // A table Spark created outside the allowed folders can still be updated with its own location.
        assertThat(locations.checkChange("file:/tmp/spark-table/", "file:/tmp/spark-table", "m")).isEqualTo("file:/tmp/spark-table/");
        assertThat(locations.checkChange("file:///tmp/spark-table", "file:/tmp/spark-table", "m")).isEqualTo("file:///tmp/spark-table");
        HearthException moved = catchThrowableOfType(HearthException.class, () -> locations.checkChange("file:/tmp/other", "file:/tmp/spark-table", "m"));
        assertThat(moved).hasMessageContaining("is outside the folders where the catalog may keep data");
        assertThat(locations.checkChange("s3://lake/a/../b", "s3://lake/c", "m")).isEqualTo("s3://lake/b");
    }
}
