package io.e2d.core.manager;

/** Where a node stands in bootstrapping, as published over gossip. */
public enum PeerStatus {
    /** Starting, or etcd is not running (also a node with data waiting for its old peers). */
    UNKNOWN,
    /** Has no data and waits for the required number of pending nodes to bootstrap a cluster. */
    PENDING,
    /** etcd runs and is healthy on this node; other nodes join the cluster through it. */
    RUNNING
}
