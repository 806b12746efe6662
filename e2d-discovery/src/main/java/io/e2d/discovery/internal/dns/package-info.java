/** Implementation of the {@code dns} discovery provider(s); not an API. */
@NullMarked
package io.e2d.discovery.internal.dns;

import org.jspecify.annotations.NullMarked;
