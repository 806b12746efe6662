package io.e2d.discovery.gossip;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A {@link GossipNodeMain} in a separate JVM, with its stdout lines collected. */
final class GossipProcess implements AutoCloseable {
    final String name;
    final int port;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    GossipProcess(String name, int port, String seeds, String keyHex, String probeMs, String failureMs) {
        this(name, port, seeds, keyHex, probeMs, failureMs, "-");
    }

    /** {@code tls}: {@code cert,key,ca} PEM paths, or {@code -}. */
    GossipProcess(String name, int port, String seeds, String keyHex, String probeMs, String failureMs, String tls) {
        this.name = name;
        this.port = port;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same --add-opens this JVM got from the build (the e2d.jvm.opens property).
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < jvmArgs.size(); i++) {
            String a = jvmArgs.get(i);
            if (a.equals("--add-opens") && i + 1 < jvmArgs.size()) {
                cmd.add(a);
                cmd.add(jvmArgs.get(++i));
            } else if (a.startsWith("--add-opens=")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of(
                "-Xmx96m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                GossipNodeMain.class.getName(),
                name,
                Integer.toString(port),
                seeds,
                keyHex,
                probeMs,
                failureMs,
                tls));
        try {
            process = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        reader = new Thread(this::read, "e2d-test-gossip-out-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // process gone
        }
    }

    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The latest MEMBERS line. */
    String members() {
        List<String> all = lines();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).startsWith("MEMBERS ")) {
                return all.get(i).substring("MEMBERS ".length());
            }
        }
        return "";
    }

    Optional<String> firstLine(Predicate<String> p) {
        return lines().stream().filter(p).findFirst();
    }

    /** Epoch millis of the first {@code EVENT <t> kind name} at or after {@code since}, if any. */
    Optional<Long> eventTime(String kind, String member, long since) {
        return lines().stream()
                .filter(l -> l.startsWith("EVENT ") && l.contains(" " + kind + " " + member + " "))
                .map(l -> Long.parseLong(l.split(" ")[1]))
                .filter(t -> t >= since)
                .findFirst();
    }

    void awaitStarted() {
        await("gossip node " + name + " started")
                .atMost(Duration.ofSeconds(60))
                .until(() -> firstLine(l -> l.equals("STARTED " + name)).isPresent() || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "gossip node " + name + " exited with " + process.exitValue() + ": " + lines());
        }
    }

    /** SIGSTOP or SIGCONT: the process stops answering without closing its sockets, like a partition. */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, like kill -9. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("exit");
            } catch (UncheckedIOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
