package io.e2d.cli;

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
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code e2d status}: reads {@code /status} from the HTTP endpoint of a node started with {@code e2d run
 * --http-addr} and prints its members (role, leader, client URL) and last snapshot, or the raw JSON.
 * An unreachable endpoint is one line and exit 1; a malformed URL is exit 2.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Show the members, leader and last snapshot of a node started with `e2d run --http-addr`.")
public final class StatusCommand implements Callable<Integer> {

    /** How long to wait for the connection and for the answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Option(
            names = "--endpoints",
            paramLabel = "<url>",
            required = true,
            description = "URL of a node's HTTP endpoint (its --http-addr), e.g. http://127.0.0.1:8080.")
    private String endpoint = "";

    @Option(names = "--json", description = "Print the JSON of /status as received.")
    private boolean json;

    /** Created by picocli. */
    public StatusCommand() {}

    @Override
    public Integer call() {
        URI uri = statusUri(endpoint);
        String body = fetch(uri);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(body.strip());
        } else {
            try {
                out.print(StatusTable.render(
                        StatusTable.parse(body), Clock.systemUTC().instant()));
            } catch (IllegalArgumentException e) {
                throw new CliException(
                        ExitCodes.RUNTIME_ERROR,
                        uri + " did not answer e2d status JSON (" + e.getMessage()
                                + "); is --endpoints the --http-addr of an e2d node?");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code endpoint} + {@code /status}, checked. */
    static URI statusUri(String endpoint) {
        String fix = "; give the URL of a node's --http-addr, e.g. http://127.0.0.1:8080";
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
