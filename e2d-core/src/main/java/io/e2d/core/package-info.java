/** e2d core: supervised etcd processes and the cluster manager. */
@NullMarked
package io.e2d.core;

import org.jspecify.annotations.NullMarked;
