/** Implementation details of e2d-core; free to change between releases. */
@NullMarked
package io.e2d.core.internal;

import org.jspecify.annotations.NullMarked;
