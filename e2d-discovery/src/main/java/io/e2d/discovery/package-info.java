/** e2d discovery: peer discovery providers and gossip membership. */
@NullMarked
package io.e2d.discovery;

import org.jspecify.annotations.NullMarked;
