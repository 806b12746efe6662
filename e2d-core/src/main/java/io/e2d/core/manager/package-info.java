/**
 * The cluster manager: {@link io.e2d.core.manager.EtcdManager} decides at start whether to restart,
 * join as a learner, bootstrap a new cluster or restore one from a snapshot, then removes failed
 * members, takes leader-only snapshots and reports status over HTTP ({@code /healthz}, {@code
 * /metrics}). The decisions are pure functions ({@link io.e2d.core.manager.StartupDecision}, {@link
 * io.e2d.core.manager.MemberRemoval}) of what gossip, etcd and the local data dir show.
 */
@NullMarked
package io.e2d.core.manager;

import org.jspecify.annotations.NullMarked;
