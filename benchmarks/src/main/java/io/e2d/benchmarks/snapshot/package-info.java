/** JMH benchmarks of the snapshot streaming path (codecs of e2d-snapshot). */
@NullMarked
package io.e2d.benchmarks.snapshot;

import org.jspecify.annotations.NullMarked;
