package io.e2d.db.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires a field to hold a value on every write: not {@code null}, and for a {@code CharSequence}, a
 * collection, a map or an array, not empty. A write that breaks the rule fails with a
 * {@code RequiredFieldException} before anything is sent to etcd.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface Required {}
