package io.e2d.discovery.gossip;

/** Where a node stands in bootstrapping, as in Go e2d: unknown, waiting for peers, or running etcd. */
public enum NodeStatus {
    /** Just started, or etcd stopped. */
    UNKNOWN,
    /** Ready to form a new cluster once the required number of nodes is pending. */
    PENDING,
    /** etcd runs on this node; others join through it. */
    RUNNING
}
