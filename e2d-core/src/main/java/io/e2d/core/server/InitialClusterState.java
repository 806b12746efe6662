package io.e2d.core.server;

import java.util.Locale;

/** etcd's {@code --initial-cluster-state}: form a new cluster or join an existing one. */
public enum InitialClusterState {
    /** The member bootstraps a new cluster with the other members of the initial cluster. */
    NEW,
    /** The member joins a cluster that already runs (it was added with a member-add call first). */
    EXISTING;

    /** The flag value etcd expects ({@code new} or {@code existing}). */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
