/** Implementation of the {@code aws} discovery provider(s); not an API. */
@NullMarked
package io.e2d.discovery.internal.aws;

import org.jspecify.annotations.NullMarked;
