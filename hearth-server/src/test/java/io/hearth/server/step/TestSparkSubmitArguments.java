package io.hearth.server.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.step.SparkSubmitArguments.Option;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestSparkSubmitArguments {
    @Test
    void optionsWithValuesAreReadWithTheirValues() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of(
                "--class", "com.example.Main", "--conf", "spark.a=1", "--conf=spark.b=2=x", "-c", "spark.c=3", "app.jar"));

        assertThat(parsed.options()).containsExactly(
                new Option("--class", "com.example.Main"),
                new Option("--conf", "spark.a=1"),
                new Option("--conf", "spark.b=2=x"),
                new Option("-c", "spark.c=3"));
        assertThat(parsed.primaryResource()).contains("app.jar");
        assertThat(parsed.applicationArguments()).isEmpty();
    }

    @Test
    void switchesTakeNoValue() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of("--verbose", "--supervise", "app.jar", "x"));

        assertThat(parsed.options()).containsExactly(new Option("--verbose", null), new Option("--supervise", null));
        assertThat(parsed.primaryResource()).contains("app.jar");
        assertThat(parsed.applicationArguments()).containsExactly("x");
    }

    @Test
    void everythingAfterThePrimaryResourceBelongsToTheApplicationEvenOptions() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of(
                "--master", "yarn", "app.jar", "--master", "local", "--conf", "k=v", "--verbose"));

        assertThat(parsed.options()).containsExactly(new Option("--master", "yarn"));
        assertThat(parsed.primaryResource()).contains("app.jar");
        assertThat(parsed.applicationArguments()).containsExactly("--master", "local", "--conf", "k=v", "--verbose");
        assertThat(parsed.value("--master")).contains("yarn");
    }

    @Test
    void withoutAnyNonOptionThereIsNoPrimaryResource() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of("--class", "Main", "--verbose"));

        assertThat(parsed.primaryResource()).isEmpty();
        assertThat(parsed.applicationArguments()).isEmpty();
    }

    @Test
    void anOptionAtTheEndWithoutItsValueIsKeptWithoutValue() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of("--verbose", "--class"));

        assertThat(parsed.options()).containsExactly(new Option("--verbose", null), new Option("--class", null));
        assertThat(parsed.primaryResource()).isEmpty();
    }

    @Test
    void valueReturnsTheLastValueGiven() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of(
                "--name", "first", "--name=second", "--driver-memory", "2g", "app.jar"));

        assertThat(parsed.value("--name")).contains("second");
        assertThat(parsed.value("--driver-memory")).contains("2g");
        assertThat(parsed.value("--executor-memory")).isEmpty();
    }

    @Test
    void confReturnsTheLastValueForAKeyFromBothConfSpellings() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of(
                "--conf", "spark.cores.max=2", "-c", "spark.cores.max=6", "--conf", "spark.cores.maxExtra=9",
                "--conf=spark.sql.shuffle.partitions=a=b", "app.jar", "--conf", "spark.cores.max=100"));

        assertThat(parsed.conf("spark.cores.max")).contains("6");
        assertThat(parsed.conf("spark.sql.shuffle.partitions")).contains("a=b");
        assertThat(parsed.conf("spark.cores")).isEmpty();
        assertThat(parsed.conf("spark.executor.memory")).isEmpty();
    }

    @Test
    void toArgsRoundTripsSeparateOptionValues() {
        List<String> args = List.of("--class", "Main", "--verbose", "--conf", "k=v", "-c", "a=b",
                "app.jar", "--master", "arg with spaces");

        assertThat(SparkSubmitArguments.parseSubmit(args).toArgs()).isEqualTo(args);
    }

    @Test
    void toArgsSplitsTheEqualsFormIntoNameAndValue() {
        assertThat(SparkSubmitArguments.parseSubmit(List.of("--conf=k=v", "--master=yarn", "app.jar")).toArgs())
                .containsExactly("--conf", "k=v", "--master", "yarn", "app.jar");
    }

    @Test
    void anUnknownDoubleDashArgumentIsThePrimaryResource() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of("--not-a-spark-option", "x"));

        assertThat(parsed.options()).isEmpty();
        assertThat(parsed.primaryResource()).contains("--not-a-spark-option");
        assertThat(parsed.applicationArguments()).containsExactly("x");
    }

    @Test
    void parseMixedFindsSparkOptionsAnywhere() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseMixed(List.of(
                "--hiveconf", "hive.x=1", "--master", "yarn", "-f", "q.sql", "--conf", "k=v", "--verbose"));

        assertThat(parsed.options()).containsExactly(
                new Option("--master", "yarn"), new Option("--conf", "k=v"), new Option("--verbose", null));
        assertThat(parsed.primaryResource()).isEmpty();
        assertThat(parsed.applicationArguments()).containsExactly("--hiveconf", "hive.x=1", "-f", "q.sql");
    }

    @Test
    void parseMixedKeepsSqlOptionValuesWithTheirOptionInOrderEvenWhenTheyLookLikeSparkOptions() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseMixed(List.of(
                "-e", "SELECT 1 AS a", "--name", "n", "-e", "--verbose", "-f", "--conf", "-i", "init.sql"));

        assertThat(parsed.options()).containsExactly(new Option("--name", "n"));
        assertThat(parsed.applicationArguments()).containsExactly(
                "-e", "SELECT 1 AS a", "-e", "--verbose", "-f", "--conf", "-i", "init.sql");
    }

    @Test
    void parseMixedRendersSparkOptionsFirstThenTheSqlArguments() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseMixed(List.of("-e", "SELECT 1", "--master", "local[2]"));

        assertThat(parsed.toArgs()).containsExactly("--master", "local[2]", "-e", "SELECT 1");
    }

    @Test
    void withOptionsAndWithPrimaryResourceKeepTheRest() {
        SparkSubmitArguments parsed = SparkSubmitArguments.parseSubmit(List.of("--verbose", "app.jar", "a1"));

        SparkSubmitArguments changed = parsed.withOptions(List.of(new Option("--name", "n"))).withPrimaryResource("/abs/app.jar");

        assertThat(changed.toArgs()).containsExactly("--name", "n", "/abs/app.jar", "a1");
        assertThat(parsed.toArgs()).containsExactly("--verbose", "app.jar", "a1");
    }

    @Test
    void isConfRecognisesBothSpellings() {
        assertThat(SparkSubmitArguments.isConf(new Option("--conf", "k=v"))).isTrue();
        assertThat(SparkSubmitArguments.isConf(new Option("-c", "k=v"))).isTrue();
        assertThat(SparkSubmitArguments.isConf(new Option("--config", "k=v"))).isFalse();
    }
}
