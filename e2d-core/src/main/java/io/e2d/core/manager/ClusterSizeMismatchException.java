package io.e2d.core.manager;

/** The running cluster was created with another {@code --required-cluster-size} than this node's. */
public final class ClusterSizeMismatchException extends ManagerException {
    private static final long serialVersionUID = 1L;
    private final int clusterSize;
    private final int configuredSize;

    public ClusterSizeMismatchException(int clusterSize, int configuredSize) {
        super("the cluster was created with --required-cluster-size " + clusterSize + ", this node runs with "
                + configuredSize + ": start it with -n " + clusterSize);
        this.clusterSize = clusterSize;
        this.configuredSize = configuredSize;
    }

    /** The size recorded in the cluster under {@code /_e2d}. */
    public int clusterSize() {
        return clusterSize;
    }

    /** The size this node was started with. */
    public int configuredSize() {
        return configuredSize;
    }
}
