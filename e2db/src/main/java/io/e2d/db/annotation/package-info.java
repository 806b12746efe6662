/**
 * Annotations that declare an e2db model: {@link io.e2d.db.annotation.Table}, {@link io.e2d.db.annotation.Id},
 * {@link io.e2d.db.annotation.Index}, {@link io.e2d.db.annotation.Unique}, {@link io.e2d.db.annotation.Required}
 * and {@link io.e2d.db.annotation.Encrypted}. They carry metadata only; a model is parsed once when its table is
 * opened.
 */
@NullMarked
package io.e2d.db.annotation;

import org.jspecify.annotations.NullMarked;
