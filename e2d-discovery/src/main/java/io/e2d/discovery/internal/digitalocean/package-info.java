/** Implementation of the {@code digitalocean} discovery provider(s); not an API. */
@NullMarked
package io.e2d.discovery.internal.digitalocean;

import org.jspecify.annotations.NullMarked;
