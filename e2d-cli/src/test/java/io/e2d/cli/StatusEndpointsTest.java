package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.e2d.core.manager.EtcdManager;
import io.e2d.core.manager.ManagerStatus;
import io.e2d.testkit.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code e2d status --endpoints a,b,c}: every endpoint is reported (etcdctl style), one that does not
 * answer makes the exit code 1 without hiding the others. The nodes are HTTP servers answering what a
 * manager's {@code /status} answers ({@link ManagerStatus#toJson()}).
 */
@Timeout(30)
class StatusEndpointsTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private String node(String name) throws IOException {
        ManagerStatus status = new ManagerStatus(
                name,
                EtcdManager.State.RUNNING,
                true,
                3,
                List.of(new ManagerStatus.Member(
                        "8e9e05c52164694d",
                        name,
                        ManagerStatus.Role.LEADER,
                        List.of(URI.create("http://10.0.0.1:2380")),
                        List.of(URI.create("http://10.0.0.1:2379")))),
                Optional.empty(),
                Optional.empty(),
                0,
                0);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/status", exchange -> {
            byte[] body = status.toJson().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An endpoint nothing listens on. */
    private static String stoppedNode() {
        return "http://127.0.0.1:" + FreePorts.tcp();
    }

    @Test
    void everyEndpointIsReported_asTablesOrAJsonArray() throws Exception {
        String a = node("node-a");
        String b = node("node-b");

        CliRunner.Result table = CliRunner.run(Map.of(), "status", "--endpoints", a + "," + b);
        assertThat(table.exitCode()).isZero();
        assertThat(table.out())
                .contains("== " + a + "/status ==", "== " + b + "/status ==")
                .contains("node node-a: RUNNING", "node node-b: RUNNING");

        CliRunner.Result json = CliRunner.run(Map.of(), "status", "--endpoints", a + "," + b, "--json");
        assertThat(json.exitCode()).isZero();
        JsonNode array = new ObjectMapper().readTree(json.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        assertThat(array.get(0).get("endpoint").asText()).isEqualTo(a + "/status");
        assertThat(array.get(1).get("status").get("name").asText()).isEqualTo("node-b");
    }

    @Test
    void anEndpointThatDoesNotAnswer_isReportedAndGivesExit1_theOthersStillShow() throws Exception {
        String a = node("node-a");
        String dead = stoppedNode();

        CliRunner.Result table = CliRunner.run(Map.of(), "status", "--endpoints", dead + "," + a);
        assertThat(table.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(table.out()).contains("node node-a: RUNNING").contains("error: cannot reach " + dead + "/status");
        assertThat(table.errLines()).containsExactly("e2d: 1 of 2 endpoints did not answer: " + dead + "/status");

        CliRunner.Result json = CliRunner.run(Map.of(), "status", "--endpoints", a + "," + dead, "--json");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        JsonNode array = new ObjectMapper().readTree(json.out());
        assertThat(array.get(0).has("status")).isTrue();
        assertThat(array.get(1).get("error").asText()).contains("cannot reach");
    }

    @Test
    void aMalformedEndpointAmongSeveralIsExit2BeforeAnyRequest() {
        CliRunner.Result r = CliRunner.run(Map.of(), "status", "--endpoints", "http://127.0.0.1:1,127.0.0.1:8080");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("e2d: --endpoints \"127.0.0.1:8080\"");
        assertThat(r.out()).isEmpty();
    }
}
