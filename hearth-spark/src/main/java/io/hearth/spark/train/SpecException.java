package io.hearth.spark.train;

/** A training spec that cannot run, with the field at fault named first: {@code "label.column: ..."}. */
public final class SpecException extends RuntimeException {
    private final String field;

    public SpecException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The spec field at fault, as a dotted path ({@code model.params.maxIter}). */
    public String field() {
        return field;
    }
}
