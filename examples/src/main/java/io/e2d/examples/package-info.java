/** e2d examples: runnable programs (not deployed). */
@NullMarked
package io.e2d.examples;

import org.jspecify.annotations.NullMarked;
