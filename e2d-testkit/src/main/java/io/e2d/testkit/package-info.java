/** e2d testkit: infrastructure shared by every module's tests that needs no etcd. */
@NullMarked
package io.e2d.testkit;

import org.jspecify.annotations.NullMarked;
