package io.e2d.db.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a unique index on a field. Enforced by the etcd transaction that writes the row, so of two
 * clients racing to store the same value exactly one succeeds. Several rows may hold {@code null}. Not
 * allowed on an {@link Encrypted} field.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface Unique {}
