package io.hearth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where {@code hearth sql} reads its statements from: in a terminal, a prompt with line editing and a history kept in
 * {@code $HOME/.hearth/sql-history} (JLine); otherwise the lines of standard input, without a prompt.
 */
interface SqlPrompt extends AutoCloseable {
    /** Thrown when the user presses Ctrl-C at the prompt. */
    final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** The next line, shown after {@code prompt} in a terminal; null at the end of the input (Ctrl-D). */
    String readLine(String prompt) throws IOException, Interrupted;

    @Override
    void close() throws IOException;

    static SqlPrompt lines(InputStream input) {
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        return new SqlPrompt() {
            @Override
            public String readLine(String prompt) throws IOException {
                return in.readLine();
            }

            @Override
            public void close() {
                // standard input stays open for the process
            }
        };
    }

    static SqlPrompt terminal() throws IOException {
        // $HOME as shells have it (Java's user.home is the password file's)
        String shellHome = System.getenv("HOME");
        String home = shellHome != null && !shellHome.isBlank() ? shellHome : System.getProperty("user.home");
        Path history = Path.of(home, ".hearth", "sql-history");
        Files.createDirectories(history.getParent());
        Terminal terminal = TerminalBuilder.builder().system(true).build();
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("hearth sql")
                .variable(LineReader.HISTORY_FILE, history)
                .build();
        return new SqlPrompt() {
            @Override
            public String readLine(String prompt) throws Interrupted {
                try {
                    return reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    throw new Interrupted();
                } catch (EndOfFileException e) {
                    return null;
                }
            }

            @Override
            public void close() throws IOException {
                reader.getHistory().save();
                terminal.close();
            }
        };
    }
}
