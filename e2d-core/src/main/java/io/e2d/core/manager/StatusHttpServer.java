package io.e2d.core.manager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code GET /healthz} (200 "ok" when the local etcd is healthy, else 503 with the reason) and
 * {@code GET /metrics} (Prometheus text format) from the manager's status.
 */
final class StatusHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private StatusHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static StatusHttpServer start(InetSocketAddress address, Supplier<ManagerStatus> status, Clock clock)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "e2d-manager-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/healthz", ex -> {
            ManagerStatus s = status.get();
            if (s.healthy()) {
                respond(ex, 200, "text/plain", "ok\n");
            } else {
                respond(
                        ex,
                        503,
                        "text/plain",
                        "unhealthy: state " + s.state() + ", " + s.members().size() + " members visible\n");
            }
        });
        server.createContext(
                "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", metrics(status.get(), clock)));
        server.createContext(
                "/status",
                ex -> respond(ex, 200, "application/json", status.get().toJson() + "\n"));
        server.start();
        return new StatusHttpServer(server, executor);
    }

    /** The port actually bound. */
    int port() {
        return server.getAddress().getPort();
    }

    static String metrics(ManagerStatus s, Clock clock) {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "e2d_up", "Whether the local etcd runs and has a leader.", s.healthy() ? 1 : 0);
        gauge(sb, "e2d_required_cluster_size", "The configured cluster size.", s.requiredClusterSize());
        gauge(sb, "e2d_members", "etcd members, learners included.", s.members().size());
        gauge(sb, "e2d_voting_members", "Voting etcd members.", s.voters());
        gauge(sb, "e2d_learners", "Learner etcd members.", s.members().size() - s.voters());
        gauge(
                sb,
                "e2d_is_leader",
                "Whether this node is the raft leader.",
                s.leader().filter(s.name()::equals).isPresent() ? 1 : 0);
        gauge(sb, "e2d_removed_members_total", "Members this node removed from etcd since start.", s.removedMembers());
        gauge(sb, "e2d_snapshot_failures_total", "Failed snapshot attempts since start.", s.snapshotFailures());
        if (s.lastSnapshot().isPresent()) {
            gauge(
                    sb,
                    "e2d_last_snapshot_timestamp_seconds",
                    "Unix time of the last successful snapshot by this node.",
                    s.lastSnapshot().get().getEpochSecond());
            gauge(
                    sb,
                    "e2d_last_snapshot_age_seconds",
                    "Seconds since the last successful snapshot by this node.",
                    Duration.between(s.lastSnapshot().get(), clock.instant()).toSeconds());
        }
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ")
                .append(name)
                .append(name.endsWith("_total") ? " counter" : " gauge")
                .append('\n');
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(code, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
