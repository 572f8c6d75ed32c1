package io.hearth.server.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestExecutorRequest {
    private static ExecutorRequest of(List<String> args, Map<String, String> defaults) {
        return ExecutorRequest.of(SparkSubmitArguments.parseSubmit(args), defaults);
    }

    @ParameterizedTest
    @CsvSource({"512m, 512", "4g, 4096", "4096, 4096", "2G, 2048", "1t, 1048576", "1048576k, 1024"})
    void sizesAreReadAsSparkReadsThem(String text, long megabytes) {
        assertThat(ExecutorRequest.megabytes(text)).hasValue(megabytes);
    }

    @Test
    void sizesSparkRefusesAreNotGuessed() {
        assertThat(ExecutorRequest.megabytes("1.5g")).isEmpty();
        assertThat(ExecutorRequest.megabytes("lots")).isEmpty();
    }

    @Test
    void dedicatedOptionsWinOverConfWhichWinsOverTheClustersDefaults() {
        Map<String, String> defaults = Map.of("spark.executor.cores", "2", "spark.executor.memory", "2g", "spark.cores.max", "8");

        assertThat(of(List.of("app.jar"), defaults)).isEqualTo(new ExecutorRequest(OptionalInt.of(2), OptionalLong.of(2048), OptionalInt.of(8)));
        assertThat(of(List.of("--conf", "spark.executor.cores=3", "--conf", "spark.cores.max=6", "app.jar"), defaults).executorCores()).hasValue(3);
        assertThat(of(List.of("--executor-cores", "4", "--conf", "spark.executor.cores=3", "--total-executor-cores", "12", "--executor-memory", "1g",
                "app.jar"), defaults)).isEqualTo(new ExecutorRequest(OptionalInt.of(4), OptionalLong.of(1024), OptionalInt.of(12)));
    }

    @Test
    void unsetExecutorCoresTakeAtLeastOneAndMemoryDefaultsToSparksOneGigabyte() {
        ExecutorRequest request = of(List.of("app.jar"), Map.of());

        assertThat(request.executorCores()).isEmpty();
        assertThat(request.minimumExecutorCores()).isEqualTo(1);
        assertThat(request.executorMemoryMb()).hasValue(1024);
        assertThat(request.coresMax()).isEmpty();
    }
}
