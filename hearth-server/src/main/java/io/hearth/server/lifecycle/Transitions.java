package io.hearth.server.lifecycle;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** What the state enums share: the reverse of their transition table, for compare-and-set "from" lists. */
public final class Transitions {
    private Transitions() {}

    /** The states of {@code type} whose {@code next} contains {@code to}. */
    public static <S extends Enum<S>> Set<S> leadingTo(Class<S> type, Function<S, Set<S>> next, S to) {
        return matching(type, state -> next.apply(state).contains(to));
    }

    /** The states of {@code type} for which {@code test} holds: the terminal ones, say. */
    public static <S extends Enum<S>> Set<S> matching(Class<S> type, Predicate<S> test) {
        EnumSet<S> matching = EnumSet.noneOf(type);
        for (S state : type.getEnumConstants()) {
            if (test.test(state)) {
                matching.add(state);
            }
        }
        return matching;
    }
}
