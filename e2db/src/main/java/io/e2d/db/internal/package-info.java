/** Implementation of e2db: model parsing, key layout, codecs, the transaction engine. Free to change. */
@NullMarked
package io.e2d.db.internal;

import org.jspecify.annotations.NullMarked;
