package io.hearth.server.step;

import java.util.List;
import java.util.Map;

/** The process a step runs: argv, environment additions, and notes for the controller log about what Hearth changed. */
record StepCommand(List<String> argv, Map<String, String> environment, List<String> notes) {
    StepCommand {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        notes = List.copyOf(notes);
    }
}
