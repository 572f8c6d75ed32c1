package io.hearth.server.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How to run a user's script or program file: directly when it says how ({@code #!}) or is a binary, else with /bin/sh. */
public final class Scripts {
    private static final byte[] SHEBANG = {'#', '!'};
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    private Scripts() {}

    /** The argv that runs {@code file} with {@code args}; the arguments stay separate argv elements. */
    public static List<String> command(Path file, List<String> args) throws IOException {
        List<String> argv = new ArrayList<>();
        if (!runsDirectly(file)) {
            argv.add("/bin/sh");
        }
        argv.add(file.toString());
        argv.addAll(args);
        return argv;
    }

    public static boolean runsDirectly(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(4);
            return startsWith(start, SHEBANG) || startsWith(start, ELF);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(Arrays.copyOf(bytes, prefix.length), prefix);
    }
}
