package io.hearth.server.catalog.glue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Hive column type, parsed from the type string Glue columns carry ({@code int},
 * {@code decimal(10,2)}, {@code array<struct<a:int,b:string>>}, ...). Parsing catches a bad type
 * before the metastore does; the parsed form tells partition keys' value types and gives Spark's
 * JSON schema for tables Spark reads with its own data sources.
 */
sealed interface HiveType {
    /** The normalized Hive spelling. */
    String hiveName();

    /** The type as Spark's JSON schema writes it (a string for simple types, an object otherwise). */
    Object sparkJson();

    record Primitive(String name, String sparkName) implements HiveType {
        @Override
        public String hiveName() {
            return name;
        }

        @Override
        public Object sparkJson() {
            return sparkName;
        }

        boolean isIntegral() {
            return Set.of("tinyint", "smallint", "int", "bigint").contains(name);
        }

        boolean isString() {
            return name.equals("string") || name.startsWith("varchar") || name.startsWith("char");
        }
    }

    record ArrayType(HiveType element) implements HiveType {
        @Override
        public String hiveName() {
            return "array<" + element.hiveName() + ">";
        }

        @Override
        public Object sparkJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("type", "array");
            node.putPOJO("elementType", element.sparkJson());
            node.put("containsNull", true);
            return node;
        }
    }

    record MapType(HiveType key, HiveType value) implements HiveType {
        @Override
        public String hiveName() {
            return "map<" + key.hiveName() + "," + value.hiveName() + ">";
        }

        @Override
        public Object sparkJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("type", "map");
            node.putPOJO("keyType", key.sparkJson());
            node.putPOJO("valueType", value.sparkJson());
            node.put("valueContainsNull", true);
            return node;
        }
    }

    record Field(String name, HiveType type) {}

    record StructType(List<Field> fields) implements HiveType {
        @Override
        public String hiveName() {
            StringBuilder name = new StringBuilder("struct<");
            for (int i = 0; i < fields.size(); i++) {
                name.append(i == 0 ? "" : ",").append(fields.get(i).name()).append(':').append(fields.get(i).type().hiveName());
            }
            return name.append('>').toString();
        }

        @Override
        public Object sparkJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("type", "struct");
            var array = node.putArray("fields");
            for (Field field : fields) {
                ObjectNode member = array.addObject();
                member.put("name", field.name());
                member.putPOJO("type", field.type().sparkJson());
                member.put("nullable", true);
                member.putObject("metadata");
            }
            return node;
        }
    }

    /** Hive's primitive type names and Spark's names for them. */
    Map<String, String> PRIMITIVES = Map.ofEntries(
            Map.entry("tinyint", "byte"),
            Map.entry("smallint", "short"),
            Map.entry("int", "integer"),
            Map.entry("integer", "integer"),
            Map.entry("bigint", "long"),
            Map.entry("long", "long"),
            Map.entry("float", "float"),
            Map.entry("double", "double"),
            Map.entry("boolean", "boolean"),
            Map.entry("string", "string"),
            Map.entry("binary", "binary"),
            Map.entry("date", "date"),
            Map.entry("timestamp", "timestamp"));

    /** Parses a type string; throws IllegalArgumentException saying what is wrong. */
    static HiveType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the type is empty");
        }
        Parser parser = new Parser(text);
        HiveType type = parser.type();
        parser.skipSpaces();
        if (!parser.atEnd()) {
            throw new IllegalArgumentException("unexpected '" + text.substring(parser.position) + "' after the type");
        }
        return type;
    }

    /** A small recursive-descent parser over Hive's type grammar. */
    final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        HiveType type() {
            String word = word().toLowerCase(Locale.ROOT);
            switch (word) {
                case "array" -> {
                    expect('<');
                    HiveType element = type();
                    expect('>');
                    return new ArrayType(element);
                }
                case "map" -> {
                    expect('<');
                    HiveType key = type();
                    if (!(key instanceof Primitive)) {
                        throw new IllegalArgumentException("map keys must be of a primitive type");
                    }
                    expect(',');
                    HiveType value = type();
                    expect('>');
                    return new MapType(key, value);
                }
                case "struct" -> {
                    expect('<');
                    List<Field> fields = new ArrayList<>();
                    do {
                        String name = fieldName();
                        expect(':');
                        fields.add(new Field(name, type()));
                    } while (accept(','));
                    expect('>');
                    return new StructType(fields);
                }
                case "decimal", "numeric" -> {
                    int precision = 10;
                    int scale = 0;
                    if (accept('(')) {
                        precision = number();
                        if (accept(',')) {
                            scale = number();
                        }
                        expect(')');
                    }
                    if (precision < 1 || precision > 38 || scale > precision) {
                        throw new IllegalArgumentException("decimal(" + precision + "," + scale + ") is out of range: precision 1 to 38, scale at most the precision");
                    }
                    String name = "decimal(" + precision + "," + scale + ")";
                    return new Primitive(name, name);
                }
                case "varchar", "char" -> {
                    expect('(');
                    int length = number();
                    expect(')');
                    if (length < 1 || length > (word.equals("char") ? 255 : 65535)) {
                        throw new IllegalArgumentException(word + "(" + length + ") has a length out of range");
                    }
                    return new Primitive(word + "(" + length + ")", "string");
                }
                default -> {
                    String spark = PRIMITIVES.get(word);
                    if (spark == null) {
                        throw new IllegalArgumentException("'" + word + "' is not a Hive type");
                    }
                    String hive = switch (word) {
                        case "integer" -> "int";
                        case "long" -> "bigint";
                        default -> word;
                    };
                    return new Primitive(hive, spark);
                }
            }
        }

        private String word() {
            skipSpaces();
            int start = position;
            while (position < text.length() && Character.isLetter(text.charAt(position))) {
                position++;
            }
            if (start == position) {
                throw new IllegalArgumentException(atEnd() ? "a type is missing at the end" : "expected a type name at '" + text.substring(start) + "'");
            }
            return text.substring(start, position);
        }

        private String fieldName() {
            skipSpaces();
            int start = position;
            if (accept('`')) {
                int end = text.indexOf('`', position);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ` in a struct field name");
                }
                position = end + 1;
                return text.substring(start + 1, end);
            }
            while (position < text.length() && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_')) {
                position++;
            }
            if (start == position) {
                throw new IllegalArgumentException("expected a struct field name at '" + text.substring(start) + "'");
            }
            return text.substring(start, position);
        }

        private int number() {
            skipSpaces();
            int start = position;
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            if (start == position || position - start > 6) {
                throw new IllegalArgumentException("expected a number at '" + text.substring(start) + "'");
            }
            return Integer.parseInt(text.substring(start, position));
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw new IllegalArgumentException("expected '" + c + "' " + (atEnd() ? "at the end" : "at '" + text.substring(position) + "'"));
            }
        }

        private boolean accept(char c) {
            skipSpaces();
            if (position < text.length() && text.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        void skipSpaces() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        boolean atEnd() {
            return position >= text.length();
        }
    }
}
