/** Implementation of the discovery providers; free to change, not an API. */
@NullMarked
package io.e2d.discovery.internal;

import org.jspecify.annotations.NullMarked;
