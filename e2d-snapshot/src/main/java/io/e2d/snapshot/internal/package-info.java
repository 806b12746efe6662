/** Implementation details of e2d-snapshot; free to change. */
@NullMarked
package io.e2d.snapshot.internal;

import org.jspecify.annotations.NullMarked;
