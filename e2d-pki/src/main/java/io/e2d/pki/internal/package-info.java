/** Implementation details of e2d-pki (atomic file writing, key handling); free to change, not an API. */
@NullMarked
package io.e2d.pki.internal;

import org.jspecify.annotations.NullMarked;
