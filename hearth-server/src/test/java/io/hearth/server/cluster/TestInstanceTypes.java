package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import org.junit.jupiter.api.Test;

class TestInstanceTypes {
    @Test
    void m5XlargeHasEmrsPublishedResources() {
        InstanceType type = InstanceTypes.get("m5.xlarge", "Instances.MasterInstanceType");

        assertThat(type).isEqualTo(new InstanceType("m5.xlarge", 4, 16384, 12288));
        assertThat(type.memoryGiB()).isEqualTo(16.0);
    }

    @Test
    void typeWithoutPublishedYarnMemoryUsesTheEstimate() {
        assertThat(InstanceTypes.find("m5.large")).contains(new InstanceType("m5.large", 2, 8192, 6144));
        assertThat(InstanceTypes.find("r4.xlarge")).contains(new InstanceType("r4.xlarge", 4, 31232, 23424));
    }

    @Test
    void estimatedYarnMemoryIs75PercentUpTo32GiB() {
        assertThat(InstanceTypes.estimatedYarnMemoryMb(8 * 1024)).isEqualTo(6144);
        assertThat(InstanceTypes.estimatedYarnMemoryMb(32 * 1024)).isEqualTo(24576);
    }

    @Test
    void estimatedYarnMemoryIs87AndAHalfPercentUpTo64GiB() {
        assertThat(InstanceTypes.estimatedYarnMemoryMb(32 * 1024 + 1024)).isEqualTo(29568);
        assertThat(InstanceTypes.estimatedYarnMemoryMb(64 * 1024)).isEqualTo(57344);
    }

    @Test
    void estimatedYarnMemoryIs93AndThreeQuarterPercentAbove64GiB() {
        assertThat(InstanceTypes.estimatedYarnMemoryMb(128 * 1024)).isEqualTo(122880);
    }

    @Test
    void unknownTypeIsAnInvalidArgumentNamingTheMember() {
        assertThatThrownBy(() -> InstanceTypes.get("x9.huge", "Instances.InstanceGroups.2.InstanceType"))
                .isInstanceOf(HearthException.class)
                .hasMessage("Instance type 'x9.huge' in Instances.InstanceGroups.2.InstanceType is not supported by Hearth; supported types "
                        + "are listed in docs/clusters.md (for example m5.xlarge, r5.2xlarge, c5.xlarge)")
                .extracting(e -> ((HearthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void findOfAnUnknownTypeIsEmpty() {
        assertThat(InstanceTypes.find("x9.huge")).isEmpty();
    }

    @Test
    void everyTypeGivesYarnLessMemoryThanItHas() {
        assertThat(InstanceTypes.all()).isNotEmpty().allSatisfy(type -> {
            assertThat(type.yarnMemoryMb()).as(type.name()).isPositive().isLessThan(type.memoryMb());
            assertThat(type.vcpus()).as(type.name()).isPositive();
        });
    }
}
