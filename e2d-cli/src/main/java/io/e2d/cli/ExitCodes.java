package io.e2d.cli;

/**
 * The exit codes of the {@code e2d} command. They are part of its interface: scripts and systemd
 * ({@code Restart=on-failure}) act on them.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>success; also {@code e2d run} stopped by SIGINT or SIGTERM</td></tr>
 *   <tr><td>1</td><td>runtime error: etcd failed to start or exited unexpectedly, I/O error</td></tr>
 *   <tr><td>2</td><td>usage or configuration error: unknown flag, bad flag or {@code E2D_*} value,
 *       missing file, unsupported combination</td></tr>
 *   <tr><td>3</td><td>the etcd binary was not found or cannot be run</td></tr>
 * </table>
 */
public final class ExitCodes {

    /** Success; {@code e2d run} stopped by a signal. */
    public static final int OK = 0;

    /** Runtime error: etcd failed to start or exited unexpectedly. */
    public static final int RUNTIME_ERROR = 1;

    /** Usage or configuration error. */
    public static final int USAGE = 2;

    /** The etcd binary was not found or cannot be run. */
    public static final int ETCD_NOT_FOUND = 3;

    private ExitCodes() {}
}
