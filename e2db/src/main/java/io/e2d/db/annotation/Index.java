package io.e2d.db.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a secondary (non-unique) index on a field: {@code find}, {@code count}, {@code deleteBy} and
 * equality / range queries on it read the index instead of the whole table. {@code null} values are not
 * indexed. Not allowed on an {@link Encrypted} field.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface Index {}
