package io.e2d.db.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Encrypts with AES-256-GCM, under the key of {@code E2dbConfig.encryptionKey}: on a field, that field's
 * value; on a model class, the whole stored row. Index keys are never encrypted, so an encrypted field cannot
 * be an id, an {@link Index} or {@link Unique} (refused when the model is parsed); with table encryption the
 * id and indexed values stay readable in the keys.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface Encrypted {}
