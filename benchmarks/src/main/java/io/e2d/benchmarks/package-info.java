/** e2d benchmarks: JMH and harnesses (not deployed). */
@NullMarked
package io.e2d.benchmarks;

import org.jspecify.annotations.NullMarked;
