package io.hearth.server.emr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestEmrResponses {
    @ParameterizedTest(name = "{0} counts {1}")
    @CsvSource({
            "t2.small, 1",
            "t2.medium, 2",
            "m4.large, 4",
            "m5.xlarge, 8",
            "m5.2xlarge, 16",
            "c5.9xlarge, 72",
            "m5.24xlarge, 192",
            "m6g.xlarge, 8"
    })
    void sizeFactorFollowsEmrNormalizedInstanceHours(String instanceType, int factor) {
        assertThat(EmrResponses.sizeFactor(instanceType)).isEqualTo(factor);
    }

    @ParameterizedTest
    @CsvSource({"t2.micro", "custom"})
    void unknownSizeCountsOne(String instanceType) {
        assertThat(EmrResponses.sizeFactor(instanceType)).isEqualTo(1);
    }
}
