/** e2d testing: JUnit 5 extensions that run real etcd nodes and clusters. */
@NullMarked
package io.e2d.testing;

import org.jspecify.annotations.NullMarked;
