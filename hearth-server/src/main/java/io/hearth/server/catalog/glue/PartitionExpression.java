package io.hearth.server.catalog.glue;

import io.hearth.server.HearthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The GetPartitions {@code Expression}: a SQL WHERE-like predicate over partition keys, as Glue
 * documents it. Comparisons ({@code = <> != < <= > >=}), {@code AND}, {@code OR}, {@code NOT},
 * {@code IN (...)}, {@code BETWEEN ... AND ...}, {@code LIKE}, {@code IS [NOT] NULL} and
 * parentheses; literals are single-quoted strings (a doubled quote inside), numbers, and
 * {@code DATE '...'} / {@code TIMESTAMP '...'}. Keywords are case-insensitive; key names may be
 * back-quoted. {@link #parse} builds the tree; {@link PartitionFilter} binds it to a table.
 */
final class PartitionExpression {
    private PartitionExpression() {}

    sealed interface Node {}

    record Or(List<Node> terms) implements Node {}

    record And(List<Node> terms) implements Node {}

    record Not(Node term) implements Node {}

    enum Operator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        Operator mirrored() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }

        Operator negated() {
            return switch (this) {
                case EQ -> NE;
                case NE -> EQ;
                case LT -> GE;
                case LE -> GT;
                case GT -> LE;
                case GE -> LT;
            };
        }
    }

    /** A literal as written: its text (quotes removed) and whether it was a quoted string. */
    record Literal(String text, boolean quoted) {}

    record Compare(String key, Operator operator, Literal value) implements Node {}

    record In(String key, List<Literal> values, boolean negated) implements Node {}

    record Between(String key, Literal low, Literal high, boolean negated) implements Node {}

    record Like(String key, Literal pattern, boolean negated) implements Node {}

    record IsNull(String key, boolean negated) implements Node {}

    /** Parses an expression; InvalidInputException says where it goes wrong. */
    static Node parse(String expression) {
        Parser parser = new Parser(expression, tokenize(expression));
        Node node = parser.or();
        if (!parser.atEnd()) {
            throw parser.error("unexpected '" + parser.peek().text + "'");
        }
        return node;
    }

    // ------------------------------------------------------------------ tokens

    private enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, SYMBOL }

    private record Token(Kind kind, String text, int position) {
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                int start = i;
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw invalid(text, start, "unclosed string literal");
                    }
                    char d = text.charAt(i);
                    if (d == c && i + 1 < text.length() && text.charAt(i + 1) == c) {
                        value.append(c);
                        i += 2;
                    } else if (d == c) {
                        i++;
                        break;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else if (c == '`') {
                int end = text.indexOf('`', i + 1);
                if (end < 0) {
                    throw invalid(text, i, "unclosed back-quoted name");
                }
                tokens.add(new Token(Kind.QUOTED_NAME, text.substring(i + 1, end), i));
                i = end + 1;
            } else if (Character.isDigit(c) || (c == '-' || c == '+') && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                int start = i;
                i++;
                while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(start, i), start));
            } else if (c == '<' || c == '>' || c == '!' || c == '=') {
                int start = i;
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (two.equals("<>") || two.equals("<=") || two.equals(">=") || two.equals("!=")) {
                    tokens.add(new Token(Kind.SYMBOL, two, start));
                    i += 2;
                } else if (c == '!') {
                    throw invalid(text, i, "'!' must be followed by '='");
                } else {
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), start));
                    i++;
                }
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                i++;
            } else {
                throw invalid(text, i, "unexpected character '" + c + "'");
            }
        }
        return tokens;
    }

    private static RuntimeException invalid(String expression, int position, String reason) {
        return HearthException.invalidArgument("Expression '%s' is not valid: %s at position %d", expression, reason, position + 1);
    }

    // ------------------------------------------------------------------ grammar

    private static final class Parser {
        private final String expression;
        private final List<Token> tokens;
        private int next;

        Parser(String expression, List<Token> tokens) {
            this.expression = expression;
            this.tokens = tokens;
        }

        Node or() {
            List<Node> terms = new ArrayList<>(List.of(and()));
            while (acceptKeyword("OR")) {
                terms.add(and());
            }
            return terms.size() == 1 ? terms.get(0) : new Or(terms);
        }

        Node and() {
            List<Node> terms = new ArrayList<>(List.of(not()));
            while (acceptKeyword("AND")) {
                terms.add(not());
            }
            return terms.size() == 1 ? terms.get(0) : new And(terms);
        }

        Node not() {
            if (acceptKeyword("NOT")) {
                return new Not(not());
            }
            return predicate();
        }

        Node predicate() {
            if (acceptSymbol("(")) {
                Node inner = or();
                expectSymbol(")");
                return inner;
            }
            if (atEnd()) {
                throw error("a condition is missing at the end");
            }
            Token first = peek();
            if (isLiteralStart(first)) {
                // A literal first: '2024' < year.
                Literal value = literal();
                Operator operator = comparison().orElseThrow(() -> error("expected a comparison operator after a literal"));
                return new Compare(key(), operator.mirrored(), value);
            }
            String key = key();
            Optional<Operator> operator = comparison();
            if (operator.isPresent()) {
                if (!atEnd() && (peek().kind == Kind.WORD && !isLiteralStart(peek()) || peek().kind == Kind.QUOTED_NAME)) {
                    throw error("a partition key can only be compared with a literal value, not with '" + peek().text + "'");
                }
                return new Compare(key, operator.get(), literal());
            }
            if (acceptKeyword("IS")) {
                boolean negated = acceptKeyword("NOT");
                expectKeyword("NULL");
                return new IsNull(key, negated);
            }
            boolean negated = acceptKeyword("NOT");
            if (acceptKeyword("IN")) {
                expectSymbol("(");
                List<Literal> values = new ArrayList<>(List.of(literal()));
                while (acceptSymbol(",")) {
                    values.add(literal());
                }
                expectSymbol(")");
                return new In(key, values, negated);
            }
            if (acceptKeyword("BETWEEN")) {
                Literal low = literal();
                expectKeyword("AND");
                return new Between(key, low, literal(), negated);
            }
            if (acceptKeyword("LIKE")) {
                Literal pattern = literal();
                return new Like(key, pattern, negated);
            }
            throw error(atEnd() ? "expected an operator after '" + key + "'" : "expected an operator after '" + key + "', found '" + peek().text + "'");
        }

        private boolean isLiteralStart(Token token) {
            if (token.kind == Kind.STRING || token.kind == Kind.NUMBER) {
                return true;
            }
            if (token.kind != Kind.WORD) {
                return false;
            }
            if (token.text.equalsIgnoreCase("TRUE") || token.text.equalsIgnoreCase("FALSE")) {
                return true;
            }
            int index = tokens.indexOf(token);
            return (token.text.equalsIgnoreCase("DATE") || token.text.equalsIgnoreCase("TIMESTAMP"))
                    && index + 1 < tokens.size() && tokens.get(index + 1).kind == Kind.STRING;
        }

        private Optional<Operator> comparison() {
            if (atEnd() || peek().kind != Kind.SYMBOL) {
                return Optional.empty();
            }
            Operator operator = switch (peek().text) {
                case "=" -> Operator.EQ;
                case "<>", "!=" -> Operator.NE;
                case "<" -> Operator.LT;
                case "<=" -> Operator.LE;
                case ">" -> Operator.GT;
                case ">=" -> Operator.GE;
                default -> null;
            };
            if (operator == null) {
                return Optional.empty();
            }
            next++;
            // Glue's documentation also spells not-equal as '< >'.
            if (operator == Operator.LT && !atEnd() && peek().isSymbol(">")) {
                next++;
                return Optional.of(Operator.NE);
            }
            return Optional.of(operator);
        }

        private String key() {
            if (atEnd()) {
                throw error("a partition key name is missing at the end");
            }
            Token token = peek();
            if (token.kind == Kind.QUOTED_NAME || token.kind == Kind.WORD && !isReserved(token.text)) {
                next++;
                return token.text;
            }
            throw error("expected a partition key name, found '" + token.text + "'");
        }

        private Literal literal() {
            if (atEnd()) {
                throw error("a value is missing at the end");
            }
            Token token = tokens.get(next++);
            switch (token.kind) {
                case STRING -> {
                    return new Literal(token.text, true);
                }
                case NUMBER -> {
                    return new Literal(token.text, false);
                }
                case WORD -> {
                    if (token.text.equalsIgnoreCase("DATE") || token.text.equalsIgnoreCase("TIMESTAMP")) {
                        if (atEnd() || peek().kind != Kind.STRING) {
                            throw error(token.text.toUpperCase(Locale.ROOT) + " must be followed by a quoted value");
                        }
                        return new Literal(tokens.get(next++).text, true);
                    }
                    if (token.text.equalsIgnoreCase("TRUE") || token.text.equalsIgnoreCase("FALSE")) {
                        return new Literal(token.text.toLowerCase(Locale.ROOT), false);
                    }
                    throw errorAt(token, "expected a value (a quoted string or a number), found '" + token.text + "'");
                }
                default -> throw errorAt(token, "expected a value (a quoted string or a number), found '" + token.text + "'");
            }
        }

        private static boolean isReserved(String word) {
            return switch (word.toUpperCase(Locale.ROOT)) {
                case "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL" -> true;
                default -> false;
            };
        }

        private boolean acceptKeyword(String keyword) {
            if (!atEnd() && peek().isKeyword(keyword)) {
                next++;
                return true;
            }
            return false;
        }

        private void expectKeyword(String keyword) {
            if (!acceptKeyword(keyword)) {
                throw error("expected " + keyword + (atEnd() ? " at the end" : ", found '" + peek().text + "'"));
            }
        }

        private boolean acceptSymbol(String symbol) {
            if (!atEnd() && peek().isSymbol(symbol)) {
                next++;
                return true;
            }
            return false;
        }

        private void expectSymbol(String symbol) {
            if (!acceptSymbol(symbol)) {
                throw error("expected '" + symbol + "'" + (atEnd() ? " at the end" : ", found '" + peek().text + "'"));
            }
        }

        Token peek() {
            return tokens.get(next);
        }

        boolean atEnd() {
            return next >= tokens.size();
        }

        RuntimeException error(String reason) {
            return invalid(expression, atEnd() ? expression.length() : peek().position(), reason);
        }

        RuntimeException errorAt(Token token, String reason) {
            return invalid(expression, token.position(), reason);
        }
    }
}
