package io.e2d.db;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A model class cannot be stored: thrown when its table is opened, naming the class, the field and the fix. */
public final class InvalidModelException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String modelClass;
    private final @Nullable String field;

    public InvalidModelException(Class<?> model, @Nullable String field, String problemAndFix) {
        super("invalid e2db model " + model.getName() + (field == null ? "" : ", field '" + field + "'") + ": "
                + problemAndFix);
        this.modelClass = model.getName();
        this.field = field;
    }

    /** The name of the invalid model class. */
    public String modelClass() {
        return modelClass;
    }

    /** The offending field, when the problem is in one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
