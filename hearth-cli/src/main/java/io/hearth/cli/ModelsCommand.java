package io.hearth.cli;

import io.hearth.client.ModelSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hearth models}: the model registry. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Lists the model registry, or shows one model's card.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class})
final class ModelsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every registered model, newest first; * marks a sweep's best model.")
    static final class ListModels implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Override
        public Integer call() {
            List<ModelSummary> models = api.client().models();
            System.out.println(String.format("%-40s %-22s %-11s %-14s %s", "MODEL ID", "TYPE", "TASK", "LABEL", "TEST METRICS"));
            for (ModelSummary model : models) {
                System.out.println(String.format("%-40s %-22s %-11s %-14s %s", model.modelId() + (model.best() ? " *" : ""), model.modelType(),
                        model.task(), model.label(), metrics(model.testMetrics())).stripTrailing());
            }
            return 0;
        }

        private static String metrics(Map<String, Double> metrics) {
            StringBuilder text = new StringBuilder();
            for (String name : List.of("auc_roc", "accuracy", "f1", "rmse", "r2")) {
                if (metrics != null && metrics.get(name) != null) {
                    text.append(text.length() == 0 ? "" : ", ").append(name).append('=').append(String.format(Locale.ROOT, "%.4f", metrics.get(name)));
                }
            }
            return text.toString();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a model's card (spec, data fingerprint, metrics, timings) and registry notes as JSON.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Parameters(index = "0", paramLabel = "MODEL_ID")
        String modelId;

        @Override
        public Integer call() throws Exception {
            System.out.println(SweepCommand.JSON.writeValueAsString(api.client().model(modelId)));
            return 0;
        }
    }
}
