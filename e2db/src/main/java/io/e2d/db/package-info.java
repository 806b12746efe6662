/** e2db: annotation-driven typed tables on etcd. */
@NullMarked
package io.e2d.db;

import org.jspecify.annotations.NullMarked;
