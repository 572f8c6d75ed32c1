package io.hearth.server.lifecycle;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/** What the state enums share: the reverse of their transition table, for compare-and-set "from" lists. */
public final class Transitions {
    private Transitions() {}

    /** The states of {@code type} whose {@code next} contains {@code to}. */
    public static <S extends Enum<S>> Set<S> leadingTo(Class<S> type, Function<S, Set<S>> next, S to) {
        EnumSet<S> from = EnumSet.noneOf(type);
        for (S state : type.getEnumConstants()) {
            if (next.apply(state).contains(to)) {
                from.add(state);
            }
        }
        return from;
    }
}
