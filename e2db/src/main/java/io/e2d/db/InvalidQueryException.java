package io.e2d.db;

/** A query or lookup names an unknown field or gives a value of the wrong type for it. */
public final class InvalidQueryException extends E2dbException {
    private static final long serialVersionUID = 1L;

    public InvalidQueryException(String message) {
        super(message);
    }
}
