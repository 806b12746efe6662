package io.e2d.db.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the primary key of a model. Exactly one field (or record component) per model carries it.
 *
 * <p>With {@code autoIncrement = true} (integral types only), an insert whose id is {@code null} or {@code 0}
 * receives the next value of the table's counter, starting at 1.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface Id {
    /** Whether a zero or {@code null} id is replaced by the next counter value on insert. */
    boolean autoIncrement() default false;
}
