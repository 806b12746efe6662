/** Implementation of the e2d CLI: converters, environment defaults, signal handling. Free to change. */
@NullMarked
package io.e2d.cli.internal;

import org.jspecify.annotations.NullMarked;
