package io.hearth.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestReleaseLabels {
    @ParameterizedTest
    @ValueSource(strings = {"emr-6.15.0", "emr-7.1.0", "emr-6.0.0", "emr-7.10.1"})
    void emr6And7LabelsAreAccepted(String label) {
        assertThat(ReleaseLabels.isAccepted(label)).isTrue();
        assertThatCode(() -> ReleaseLabels.check(label, "ReleaseLabel")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"emr-5.36.0", "emr-8.0.0", "7.1.0", "emr-7.1", "EMR-7.1.0", "emr-7.1.0-latest", "emr-7.100.0"})
    void otherLabelsAreRejectedNamingTheMember(String label) {
        assertThat(ReleaseLabels.isAccepted(label)).isFalse();

        HearthException error = catchThrowableOfType(HearthException.class, () -> ReleaseLabels.check(label, "ReleaseLabel"));

        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(error).hasMessage("ReleaseLabel '" + label
                + "' is not supported: Hearth accepts emr-6.x.y and emr-7.x.y release labels, which all run Spark 3.5.1");
    }

    @Test
    void listedLabelsAreNewestFirst() {
        List<String> listed = ReleaseLabels.listed();

        assertThat(listed).first().isEqualTo("emr-7.10.0");
        assertThat(listed).last().isEqualTo("emr-6.0.0");
        assertThat(listed).hasSize(27).doesNotHaveDuplicates();
        assertThat(listed).isSortedAccordingTo(Comparator.comparing(TestReleaseLabels::version).reversed());
    }

    @Test
    void everyListedLabelIsAccepted() {
        assertThat(ReleaseLabels.listed()).allMatch(ReleaseLabels::isAccepted);
    }

    @Test
    void listedLabelsCannotBeModified() {
        assertThatCode(() -> ReleaseLabels.listed().add("emr-9.0.0")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark", "Spark", "SPARK", "sPaRk"})
    void applicationNamesAreCaseInsensitive(String name) {
        assertThat(ReleaseLabels.canonicalApplication(name, "Applications")).isEqualTo("Spark");
    }

    @Test
    void hadoopAndHiveAreSupported() {
        assertThat(ReleaseLabels.canonicalApplication("hadoop", "Applications")).isEqualTo("Hadoop");
        assertThat(ReleaseLabels.canonicalApplication("HIVE", "Applications")).isEqualTo("Hive");
    }

    @Test
    void unsupportedApplicationIsAnErrorNamingTheMember() {
        HearthException error = catchThrowableOfType(HearthException.class,
                () -> ReleaseLabels.canonicalApplication("Livy", "Applications.1.Name"));

        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(error).hasMessage(
                "Applications.1.Name: application 'Livy' is not supported by Hearth; supported applications: [Hadoop, Hive, Spark]");
    }

    /** Major and minor version of a label, as one comparable number. */
    private static int version(String label) {
        String[] parts = label.substring("emr-".length()).split("\\.");
        return Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]);
    }
}
