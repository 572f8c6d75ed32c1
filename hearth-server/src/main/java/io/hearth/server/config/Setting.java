package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting, declared once as a constant of its feature's config class: its dotted kebab-case
 * key, its default, how its text is read (with its bounds) and how a value is written back. A bad
 * value is an error naming the key, such as {@code Setting 'http.port' must be an integer, not 'x'}.
 *
 * @param <T> the value's type; a setting that may be unset reads as null
 */
public final class Setting<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    /** Reads a setting's text, throwing {@link HearthException} with the key in its message when the text is bad. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String key, String text);
    }

    private final String key;
    private final Supplier<T> defaultValue;
    private final Parser<T> parser;
    private final Function<T, String> formatter;

    private Setting(String key, Supplier<T> defaultValue, Parser<T> parser, Function<T, String> formatter) {
        this.key = requireNonNull(key, "key is null");
        this.defaultValue = requireNonNull(defaultValue, "defaultValue is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.formatter = requireNonNull(formatter, "formatter is null");
    }

    /** A setting of any type; {@code formatter} writes a value so that {@code parser} reads it back unchanged. */
    public static <T> Setting<T> of(String key, Supplier<T> defaultValue, Parser<T> parser, Function<T, String> formatter) {
        return new Setting<>(key, defaultValue, parser, formatter);
    }

    /** Text taken as written. */
    public static Setting<String> text(String key, String defaultValue) {
        return of(key, () -> defaultValue, (name, text) -> text, value -> value);
    }

    /** Text that may be unset: blank reads as null. */
    public static Setting<String> optionalText(String key) {
        return of(key, () -> null, (name, text) -> text.isBlank() ? null : text, value -> value == null ? "" : value);
    }

    /** An integer from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max) {
        return of(key, () -> defaultValue, (name, text) -> {
            try {
                int value = Integer.parseInt(text.trim());
                if (value < min || value > max) {
                    throw HearthException.invalidArgument("Setting '%s' must be between %d and %d, not %s", name, min, max, text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw HearthException.invalidArgument("Setting '%s' must be an integer, not '%s'", name, text);
            }
        }, value -> Integer.toString(value));
    }

    /** A number from {@code min} to {@code max}. */
    public static Setting<Double> number(String key, double defaultValue, double min, double max) {
        return of(key, () -> defaultValue, (name, text) -> {
            try {
                double value = Double.parseDouble(text.trim());
                if (!(value >= min && value <= max)) {
                    throw HearthException.invalidArgument("Setting '%s' must be between %s and %s, not %s", name, min, max, text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw HearthException.invalidArgument("Setting '%s' must be a number, not '%s'", name, text);
            }
        }, value -> Double.toString(value));
    }

    /** {@code true} or {@code false}, in any case. */
    public static Setting<Boolean> bool(String key, boolean defaultValue) {
        return of(key, () -> defaultValue, (name, text) -> {
            String trimmed = text.trim();
            if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(trimmed);
            }
            throw HearthException.invalidArgument("Setting '%s' must be true or false, not '%s'", name, trimmed);
        }, value -> Boolean.toString(value));
    }

    /** A duration written as a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}), at least {@code minimum}. */
    public static Setting<Duration> duration(String key, Duration defaultValue, Duration minimum) {
        return of(key, () -> defaultValue, (name, text) -> parseDuration(name, text, minimum), Setting::formatDuration);
    }

    /** A folder or file; a relative one is relative to the directory Hearth is started in. */
    public static Setting<Path> path(String key, Supplier<Path> defaultValue) {
        return of(key, () -> absolute(defaultValue.get()), (name, text) -> absolute(parsePath(name, text.trim())), Path::toString);
    }

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue.get();
    }

    /** The value {@code text} stands for; an error naming the key when it stands for none. */
    public T parse(String text) {
        return parser.parse(key, requireNonNull(text, "text is null"));
    }

    public String format(T value) {
        return formatter.apply(value);
    }

    /** The text in the one form this setting writes it, so that equal values have equal texts. */
    String normalize(String text) {
        return format(parse(text));
    }

    String defaultText() {
        return format(defaultValue());
    }

    @Override
    public String toString() {
        return key;
    }

    /** The shortest exact form of a duration: whole seconds as {@code 30s}, anything else in milliseconds. */
    public static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static Duration parseDuration(String key, String text, Duration minimum) {
        String trimmed = text.trim();
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw HearthException.invalidArgument("Setting '%s' must be a duration such as 500ms, 30s, 5m or 1h, not '%s'", key, trimmed);
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.compareTo(minimum) < 0) {
            throw HearthException.invalidArgument("Setting '%s' must be at least %s, not '%s'", key, formatDuration(minimum), trimmed);
        }
        return duration;
    }

    private static Path parsePath(String key, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw HearthException.invalidArgument("Setting '%s' must be a path, and '%s' is not one: %s", key, text, e.getReason());
        }
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
