/**
 * Supervised etcd: {@link io.e2d.core.server.EtcdServer} runs one real etcd process built from an
 * immutable {@link io.e2d.core.server.EtcdServerConfig}, with the binary found by {@link
 * io.e2d.core.server.EtcdBinary}, and {@link io.e2d.core.server.EtcdRestore} prepares a data dir from
 * a snapshot file.
 */
@NullMarked
package io.e2d.core.server;

import org.jspecify.annotations.NullMarked;
