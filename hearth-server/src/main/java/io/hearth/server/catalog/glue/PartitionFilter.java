package io.hearth.server.catalog.glue;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.glue.PartitionExpression.And;
import io.hearth.server.catalog.glue.PartitionExpression.Between;
import io.hearth.server.catalog.glue.PartitionExpression.Compare;
import io.hearth.server.catalog.glue.PartitionExpression.In;
import io.hearth.server.catalog.glue.PartitionExpression.IsNull;
import io.hearth.server.catalog.glue.PartitionExpression.Like;
import io.hearth.server.catalog.glue.PartitionExpression.Literal;
import io.hearth.server.catalog.glue.PartitionExpression.Node;
import io.hearth.server.catalog.glue.PartitionExpression.Not;
import io.hearth.server.catalog.glue.PartitionExpression.Operator;
import io.hearth.server.catalog.glue.PartitionExpression.Or;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

/**
 * A GetPartitions expression bound to a table's partition keys: every key it names exists, every
 * literal is a value of its key's type. It answers two questions: which part the metastore can
 * evaluate itself ({@link #metastoreFilter}, in the filter language of {@code get_partitions_by_filter}:
 * comparisons of string and integer keys joined by AND and OR), and whether a partition matches
 * the rest ({@link #matchesRest}), evaluated here with typed comparisons.
 */
final class PartitionFilter {
    /** How Hive writes a NULL partition value. */
    static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<FieldSchema> keys;
    private final List<ValueType> types;
    private final Node root;
    private final Optional<String> metastoreFilter;
    private final List<Node> rest;

    private PartitionFilter(List<FieldSchema> keys, List<ValueType> types, Node root, Optional<String> metastoreFilter, List<Node> rest) {
        this.keys = keys;
        this.types = types;
        this.root = root;
        this.metastoreFilter = metastoreFilter;
        this.rest = rest;
    }

    /** The types of partition key an expression may compare, as Glue documents them. */
    enum ValueType {
        STRING, INTEGRAL, DECIMAL, DATE, TIMESTAMP;

        static Optional<ValueType> of(HiveType type) {
            if (!(type instanceof HiveType.Primitive primitive)) {
                return Optional.empty();
            }
            if (primitive.isString()) {
                return Optional.of(STRING);
            }
            if (primitive.isIntegral()) {
                return Optional.of(INTEGRAL);
            }
            String name = primitive.name();
            if (name.startsWith("decimal") || name.equals("double") || name.equals("float")) {
                return Optional.of(DECIMAL);
            }
            if (name.equals("date")) {
                return Optional.of(DATE);
            }
            if (name.equals("timestamp")) {
                return Optional.of(TIMESTAMP);
            }
            return Optional.empty();
        }

        /** The value as a comparable object; IllegalArgumentException when it is not one of this type. */
        Comparable<?> parse(String text) {
            try {
                return switch (this) {
                    case STRING -> text;
                    case INTEGRAL, DECIMAL -> new BigDecimal(text.trim());
                    case DATE -> LocalDate.parse(text.trim());
                    case TIMESTAMP -> LocalDateTime.parse(text.trim(), PartitionValues.TIMESTAMP);
                };
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }

    /** Parses and binds {@code expression}; InvalidInputException names what is wrong. */
    static PartitionFilter bind(String expression, List<FieldSchema> keys) {
        Node root = PartitionExpression.parse(expression);
        List<ValueType> types = new ArrayList<>();
        for (FieldSchema key : keys) {
            types.add(ValueType.of(HiveType.parse(key.getType())).orElse(null));
        }
        Binder binder = new Binder(expression, keys, types);
        binder.check(root);
        List<Node> conjuncts = root instanceof And and ? and.terms() : List.of(root);
        List<String> pushed = new ArrayList<>();
        List<Node> rest = new ArrayList<>();
        for (Node conjunct : conjuncts) {
            Optional<String> filter = binder.push(conjunct);
            if (filter.isPresent()) {
                pushed.add(filter.get());
            } else {
                rest.add(conjunct);
            }
        }
        Optional<String> metastoreFilter = pushed.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", pushed));
        return new PartitionFilter(keys, types, root, metastoreFilter, rest);
    }

    /** The part of the expression the metastore evaluates, if any. */
    Optional<String> metastoreFilter() {
        return metastoreFilter;
    }

    /** Whether partitions still need {@link #matchesRest} after the metastore's filter. */
    boolean hasRest() {
        return !rest.isEmpty();
    }

    /** Whether a partition (by its values) matches the part of the expression the metastore did not evaluate. */
    boolean matchesRest(List<String> values) {
        for (Node node : rest) {
            if (!evaluate(node, values)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a partition matches the whole expression, evaluated here. */
    boolean matches(List<String> values) {
        return evaluate(root, values);
    }

    // ------------------------------------------------------------------ evaluation

    private boolean evaluate(Node node, List<String> values) {
        if (node instanceof Or or) {
            return or.terms().stream().anyMatch(term -> evaluate(term, values));
        }
        if (node instanceof And and) {
            return and.terms().stream().allMatch(term -> evaluate(term, values));
        }
        if (node instanceof Not not) {
            return !evaluate(not.term(), values);
        }
        if (node instanceof Compare compare) {
            return compare(compare.key(), values, compare.value()).map(order -> test(compare.operator(), order)).orElse(false);
        }
        if (node instanceof In in) {
            return in.negated() != in.values().stream().anyMatch(value -> compare(in.key(), values, value).orElse(1) == 0);
        }
        if (node instanceof Between between) {
            Optional<Integer> low = compare(between.key(), values, between.low());
            Optional<Integer> high = compare(between.key(), values, between.high());
            boolean inside = low.isPresent() && high.isPresent() && low.get() >= 0 && high.get() <= 0;
            return between.negated() != inside;
        }
        if (node instanceof Like like) {
            String value = values.get(index(like.key()));
            return like.negated() != (!value.equals(DEFAULT_PARTITION) && likePattern(like.pattern().text()).matcher(value).matches());
        }
        IsNull isNull = (IsNull) node;
        return isNull.negated() != values.get(index(isNull.key())).equals(DEFAULT_PARTITION);
    }

    /** The partition's value compared with a literal, or empty when the value is NULL or not of the key's type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Optional<Integer> compare(String key, List<String> values, Literal literal) {
        int index = index(key);
        String value = values.get(index);
        if (value.equals(DEFAULT_PARTITION)) {
            return Optional.empty();
        }
        ValueType type = types.get(index);
        try {
            Comparable left = type.parse(value);
            Comparable right = type.parse(literal.text());
            return Optional.of(Integer.signum(left.compareTo(right)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean test(Operator operator, int order) {
        return switch (operator) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
    }

    /** SQL LIKE: % is any run of characters, _ any one character, everything else itself. */
    static Pattern likePattern(String like) {
        StringBuilder regex = new StringBuilder();
        for (char c : like.toCharArray()) {
            switch (c) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private int index(String key) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).getName().equalsIgnoreCase(key)) {
                return i;
            }
        }
        throw new IllegalStateException("unbound key " + key);
    }

    // ------------------------------------------------------------------ checking and pushing down

    /** Checks keys and literals, and translates what it can into the metastore's filter language. */
    private static final class Binder {
        private final String expression;
        private final List<FieldSchema> keys;
        private final List<ValueType> types;

        Binder(String expression, List<FieldSchema> keys, List<ValueType> types) {
            this.expression = expression;
            this.keys = keys;
            this.types = types;
        }

        void check(Node node) {
            if (node instanceof Or or) {
                or.terms().forEach(this::check);
            } else if (node instanceof And and) {
                and.terms().forEach(this::check);
            } else if (node instanceof Not not) {
                check(not.term());
            } else if (node instanceof Compare compare) {
                checkLiteral(compare.key(), compare.value());
            } else if (node instanceof In in) {
                in.values().forEach(value -> checkLiteral(in.key(), value));
            } else if (node instanceof Between between) {
                checkLiteral(between.key(), between.low());
                checkLiteral(between.key(), between.high());
            } else if (node instanceof Like like) {
                if (type(like.key()) != ValueType.STRING) {
                    throw invalid("LIKE applies to string partition keys only, and '%s' is of type %s", like.key(), key(like.key()).getType());
                }
            } else {
                type(((IsNull) node).key());
            }
        }

        private void checkLiteral(String key, Literal literal) {
            ValueType type = type(key);
            try {
                type.parse(literal.text());
            } catch (IllegalArgumentException e) {
                throw invalid("'%s' is not a valid value for partition key '%s' of type %s", literal.text(), key, key(key).getType());
            }
        }

        private ValueType type(String name) {
            FieldSchema key = key(name);
            ValueType type = types.get(keys.indexOf(key));
            if (type == null) {
                throw invalid("partition key '%s' has type %s, which expressions cannot compare (string, date, timestamp, integer and decimal"
                        + " keys can be)", name, key.getType());
            }
            return type;
        }

        private FieldSchema key(String name) {
            for (FieldSchema key : keys) {
                if (key.getName().equalsIgnoreCase(name)) {
                    return key;
                }
            }
            throw invalid("'%s' is not a partition key of the table; its partition keys are: %s", name,
                    String.join(", ", keys.stream().map(FieldSchema::getName).toList()));
        }

        private RuntimeException invalid(String format, Object... args) {
            return HearthException.invalidArgument("Expression '%s' is not valid: %s", expression, String.format(Locale.ROOT, format, args));
        }

        /** The node in the metastore's filter language, if all of it can be said there. */
        Optional<String> push(Node node) {
            if (node instanceof Or or) {
                return all(or.terms(), " or ");
            }
            if (node instanceof And and) {
                return all(and.terms(), " and ");
            }
            if (node instanceof Not not) {
                return negation(not.term()).flatMap(this::push);
            }
            if (node instanceof Compare compare) {
                return comparison(compare.key(), compare.operator(), compare.value());
            }
            if (node instanceof In in) {
                Operator operator = in.negated() ? Operator.NE : Operator.EQ;
                return all(in.values().stream().<Node>map(value -> new Compare(in.key(), operator, value)).toList(), in.negated() ? " and " : " or ");
            }
            if (node instanceof Between between) {
                return between.negated()
                        ? all(List.of(new Compare(between.key(), Operator.LT, between.low()), new Compare(between.key(), Operator.GT, between.high())), " or ")
                        : all(List.of(new Compare(between.key(), Operator.GE, between.low()), new Compare(between.key(), Operator.LE, between.high())), " and ");
            }
            // LIKE and IS NULL stay here: the metastore's LIKE is a regular expression, and it has no NULL test.
            return Optional.empty();
        }

        private Optional<String> all(List<Node> terms, String joiner) {
            List<String> parts = new ArrayList<>();
            for (Node term : terms) {
                Optional<String> part = push(term);
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                parts.add(part.get());
            }
            return Optional.of("(" + String.join(joiner, parts) + ")");
        }

        /** NOT pushed inside (De Morgan), where an equivalent without NOT exists. */
        private static Optional<Node> negation(Node node) {
            if (node instanceof Not not) {
                return Optional.of(not.term());
            }
            if (node instanceof Compare compare) {
                return Optional.of(new Compare(compare.key(), compare.operator().negated(), compare.value()));
            }
            if (node instanceof In in) {
                return Optional.of(new In(in.key(), in.values(), !in.negated()));
            }
            if (node instanceof Between between) {
                return Optional.of(new Between(between.key(), between.low(), between.high(), !between.negated()));
            }
            if (node instanceof Or or) {
                return allNegated(or.terms()).map(And::new);
            }
            if (node instanceof And and) {
                return allNegated(and.terms()).map(Or::new);
            }
            return Optional.empty();
        }

        private static Optional<List<Node>> allNegated(List<Node> terms) {
            List<Node> negated = new ArrayList<>();
            for (Node term : terms) {
                Optional<Node> negation = negation(term);
                if (negation.isEmpty()) {
                    return Optional.empty();
                }
                negated.add(negation.get());
            }
            return Optional.of(negated);
        }

        private Optional<String> comparison(String name, Operator operator, Literal literal) {
            FieldSchema key = key(name);
            if (!SIMPLE_NAME.matcher(key.getName()).matches()) {
                return Optional.empty();
            }
            ValueType type = types.get(keys.indexOf(key));
            if (type == ValueType.STRING && !literal.text().contains("'") && !literal.text().contains("\\") && !literal.text().contains("\"")) {
                return Optional.of(key.getName() + " " + operator.symbol + " '" + literal.text() + "'");
            }
            if (type == ValueType.INTEGRAL) {
                BigDecimal number = new BigDecimal(literal.text().trim());
                if (number.scale() <= 0 || number.stripTrailingZeros().scale() <= 0) {
                    return Optional.of(key.getName() + " " + operator.symbol + " " + number.toBigInteger());
                }
            }
            return Optional.empty();
        }
    }
}
