package io.e2d.db.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the table of a model. Optional: without it the table is named after the class's simple name.
 *
 * <pre>{@code
 * @Table("roles")
 * record Role(@Id(autoIncrement = true) long id, @Unique String name) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Table {
    /** The table name: letters, digits, {@code _ . -}, not starting with {@code _}; empty means the class name. */
    String value() default "";
}
