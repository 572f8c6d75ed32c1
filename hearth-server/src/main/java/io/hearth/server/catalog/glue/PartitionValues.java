package io.hearth.server.catalog.glue;

import io.hearth.server.HearthException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

/**
 * Partition values: checked against the table's partition keys (one value per key, each a valid
 * value of its key's type), and named as Hive names partitions and their folders:
 * {@code key1=value1/key2=value2}, with Hive's escaping of characters that cannot appear in a path.
 */
final class PartitionValues {
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    /** The characters Hive's FileUtils.escapePathName escapes (on every platform). */
    private static final BitSet ESCAPED = new BitSet(128);

    static {
        for (char c = 0; c < ' '; c++) {
            ESCAPED.set(c);
        }
        for (char c : "\"#%'*/:=?\\\u007F{[]^".toCharArray()) {
            ESCAPED.set(c);
        }
    }

    private PartitionValues() {}

    /** The values, checked; InvalidInputException names {@code member} and the offending key. */
    static List<String> check(List<FieldSchema> keys, List<String> values, String member) {
        if (values == null) {
            throw HearthException.invalidArgument("%s is required", member);
        }
        if (keys.isEmpty()) {
            throw HearthException.invalidArgument("%s: the table has no partition keys", member);
        }
        if (values.size() != keys.size()) {
            throw HearthException.invalidArgument("%s has %d value(s) but the table has %d partition key(s) (%s)", member, values.size(), keys.size(),
                    String.join(", ", keys.stream().map(FieldSchema::getName).toList()));
        }
        for (int i = 0; i < keys.size(); i++) {
            String value = values.get(i);
            FieldSchema key = keys.get(i);
            if (value == null || value.isEmpty()) {
                throw HearthException.invalidArgument("%s: the value for partition key '%s' is empty", member, key.getName());
            }
            String problem = problemWith(HiveType.parse(key.getType()), value);
            if (problem != null) {
                throw HearthException.invalidArgument("%s: '%s' is not a valid value for partition key '%s' of type %s: %s", member, value, key.getName(),
                        key.getType(), problem);
            }
        }
        return new ArrayList<>(values);
    }

    /** Why {@code value} is not a value of {@code type}, or null when it is. */
    static String problemWith(HiveType type, String value) {
        if (!(type instanceof HiveType.Primitive primitive)) {
            return "partition keys must be of a primitive type";
        }
        try {
            String name = primitive.name();
            if (primitive.isIntegral()) {
                long number = Long.parseLong(value.trim());
                long limit = switch (name) {
                    case "tinyint" -> Byte.MAX_VALUE;
                    case "smallint" -> Short.MAX_VALUE;
                    case "int" -> Integer.MAX_VALUE;
                    default -> Long.MAX_VALUE;
                };
                return number > limit || number < -limit - 1 ? "out of range" : null;
            }
            if (name.startsWith("decimal") || name.equals("double") || name.equals("float")) {
                new BigDecimal(value.trim());
                return null;
            }
            if (name.equals("date")) {
                LocalDate.parse(value.trim());
                return null;
            }
            if (name.equals("timestamp")) {
                LocalDateTime.parse(value.trim(), TIMESTAMP);
                return null;
            }
            if (name.equals("boolean")) {
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null : "expected true or false";
            }
            return null;
        } catch (NumberFormatException e) {
            return "expected a number";
        } catch (DateTimeParseException e) {
            return primitive.name().equals("date") ? "expected a date as yyyy-MM-dd" : "expected a timestamp as yyyy-MM-dd HH:mm:ss[.fffffffff]";
        }
    }

    /** The partition's name, which is also its folder under the table: {@code key1=value1/key2=value2}. */
    static String name(List<FieldSchema> keys, List<String> values) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                name.append('/');
            }
            name.append(escape(keys.get(i).getName().toLowerCase(java.util.Locale.ROOT))).append('=').append(escape(values.get(i)));
        }
        return name.toString();
    }

    /** The values of a partition name as the metastore lists them (the inverse of {@link #name}). */
    static List<String> valuesOf(String name) {
        List<String> values = new ArrayList<>();
        for (String part : name.split("/")) {
            int equals = part.indexOf('=');
            values.add(unescape(equals < 0 ? part : part.substring(equals + 1)));
        }
        return values;
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && ESCAPED.get(c)) {
                escaped.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder unescaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                unescaped.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                unescaped.append(c);
            }
        }
        return unescaped.toString();
    }

    private static boolean isHex(String text, int index) {
        return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
    }
}
