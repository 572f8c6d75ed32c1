package io.hearth.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestBucketNames {
    @Test
    void acceptsNamesS3Accepts() {
        assertThat(BucketNames.problemWith("lake")).isEmpty();
        assertThat(BucketNames.problemWith("my-data.lake-2026")).isEmpty();
        assertThat(BucketNames.problemWith("a".repeat(63))).isEmpty();
    }

    @Test
    void refusesNamesS3Refuses() {
        assertThat(BucketNames.problemWith("ab")).hasValueSatisfying(m -> assertThat(m).contains("between 3 and 63"));
        assertThat(BucketNames.problemWith("api")).hasValueSatisfying(m -> assertThat(m).contains("reserved: Hearth serves its REST API under /api/"));
        assertThat(BucketNames.problemWith("a".repeat(64))).hasValueSatisfying(m -> assertThat(m).contains("between 3 and 63"));
        assertThat(BucketNames.problemWith("Bad_Bucket")).hasValueSatisfying(m -> assertThat(m).contains("lowercase"));
        assertThat(BucketNames.problemWith("-lake")).hasValueSatisfying(m -> assertThat(m).contains("begin"));
        assertThat(BucketNames.problemWith("my..lake")).hasValueSatisfying(m -> assertThat(m).contains("adjacent"));
        assertThat(BucketNames.problemWith("192.168.1.10")).hasValueSatisfying(m -> assertThat(m).contains("IP address"));
    }
}
