package io.e2d.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e2d.cli.internal.StatusTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code e2d status}: reads {@code /status} from the HTTP endpoints of nodes started with {@code e2d run
 * --http-addr} and prints their members (role, leader, client URL) and last snapshot, or the raw JSON.
 * With one endpoint, an unreachable endpoint is one line and exit 1; with several (comma-separated),
 * each is reported and the exit code is 1 when one did not answer. A malformed URL is exit 2.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Show the members, leader and last snapshot of nodes started with `e2d run --http-addr`.")
public final class StatusCommand implements Callable<Integer> {

    /**
     * Created on first use, not when picocli instantiates every command at startup: Jackson's ~300
     * classes would otherwise slow down every other one-shot command.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** How long to wait for the connection and for the answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Option(
            names = "--endpoints",
            paramLabel = "<url>",
            required = true,
            split = ",",
            description = "URLs of nodes' HTTP endpoints (their --http-addr), comma-separated as with etcdctl,"
                    + " e.g. http://10.0.0.5:8080,http://10.0.0.6:8080.")
    private List<String> endpoints = new ArrayList<>();

    @Option(
            names = "--json",
            description = "Print the JSON of /status as received; with several endpoints, an array of"
                    + " {\"endpoint\":..., \"status\":...} or {\"endpoint\":..., \"error\":...}.")
    private boolean json;

    /** Created by picocli. */
    public StatusCommand() {}

    @Override
    public Integer call() {
        List<URI> uris = new ArrayList<>();
        for (String endpoint : endpoints) {
            if (!endpoint.isBlank()) {
                uris.add(statusUri(endpoint));
            }
        }
        if (uris.isEmpty()) {
            throw new InvalidConfigurationException(
                    "--endpoints is empty; give the URL of a node's --http-addr, e.g. http://127.0.0.1:8080");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (uris.size() == 1) {
            URI uri = uris.get(0);
            String body = fetch(uri);
            out.print(json ? body.strip() + System.lineSeparator() : table(uri, body));
            out.flush();
            return ExitCodes.OK;
        }
        // several endpoints: report each, like `etcdctl endpoint status`; exit 1 when one did not answer
        List<String> failed = new ArrayList<>();
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (URI uri : uris) {
            ObjectNode entry = array.addObject().put("endpoint", uri.toString());
            try {
                String body = fetch(uri);
                if (json) {
                    entry.set("status", StatusTable.parse(body));
                } else {
                    out.println("== " + uri + " ==");
                    out.print(table(uri, body));
                    out.println();
                }
            } catch (CliException | IllegalArgumentException e) {
                failed.add(uri.toString());
                entry.put("error", e.getMessage());
                if (!json) {
                    out.println("== " + uri + " ==");
                    out.println("error: " + e.getMessage());
                    out.println();
                }
            }
        }
        if (json) {
            out.println(array.toString());
        }
        out.flush();
        if (!failed.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("e2d: " + failed.size() + " of " + uris.size() + " endpoints did not answer: "
                    + String.join(", ", failed));
            err.flush();
            return ExitCodes.RUNTIME_ERROR;
        }
        return ExitCodes.OK;
    }

    private static String table(URI uri, String body) {
        try {
            return StatusTable.render(StatusTable.parse(body), Clock.systemUTC().instant());
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCodes.RUNTIME_ERROR,
                    uri + " did not answer e2d status JSON (" + e.getMessage()
                            + "); is --endpoints the --http-addr of an e2d node?");
        }
    }

    /** {@code endpoint} + {@code /status}, checked. */
    static URI statusUri(String endpoint) {
        String fix = "; give the URL of a node's --http-addr, e.g. http://127.0.0.1:8080";
        if (!endpoint.contains("://")) {
            throw new InvalidConfigurationException(
                    "--endpoints \"" + endpoint + "\" must start with http:// or https://" + fix);
        }
        URI base;
        try {
            base = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(
                    "--endpoints \"" + endpoint + "\" is not a URL: " + e.getReason() + fix);
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidConfigurationException(
                    "--endpoints \"" + endpoint + "\" must start with http:// or https://" + fix);
        }
        if (base.getHost() == null) {
            throw new InvalidConfigurationException("--endpoints \"" + endpoint + "\" has no host" + fix);
        }
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        if (!path.endsWith("/status")) {
            path = path + "/status";
        }
        try {
            return new URI(scheme, null, base.getHost(), base.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException("--endpoints \"" + endpoint + "\": " + e.getReason() + fix);
        }
    }

    private static String fetch(URI uri) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.RUNTIME_ERROR,
                    "cannot reach " + uri + ": " + describe(e)
                            + "; is the node running with --http-addr at that address?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.RUNTIME_ERROR, "interrupted while asking " + uri);
        }
        if (response.statusCode() != 200) {
            throw new CliException(
                    ExitCodes.RUNTIME_ERROR,
                    uri + " answered HTTP " + response.statusCode() + ", expected 200 with the node's status");
        }
        return response.body();
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + "s";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            Throwable cause = e.getCause();
            m = cause != null && cause.getMessage() != null
                    ? cause.getMessage()
                    : e.getClass().getSimpleName();
        }
        return m;
    }
}
