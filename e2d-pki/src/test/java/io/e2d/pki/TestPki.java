package io.e2d.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared fixtures: one RSA PKI per test JVM (RSA key generation is slow), and an openssl runner. */
final class TestPki {
    static final String EXTRA_HOST = "etcd-0.example.com";
    static final String EXTRA_IP = "10.11.12.13";

    private static PkiFiles rsa;
    private static CertificateAuthority rsaCa;

    private TestPki() {}

    /** A default (RSA) PKI made with {@link Pki#generate}, hosts {@link #EXTRA_HOST} and {@link #EXTRA_IP}. */
    static synchronized PkiFiles rsa() {
        if (rsa == null) {
            try {
                Path dir = Files.createTempDirectory("e2d-pki-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "e2d-pki-test-cleanup"));
                rsa = Pki.generate(dir.resolve("pki"), List.of(EXTRA_HOST, EXTRA_IP, "LOCALHOST", "127.0.0.1"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rsa;
    }

    /** The CA of {@link #rsa()}, loaded from its files. */
    static synchronized CertificateAuthority rsaCa() {
        if (rsaCa == null) {
            rsaCa = CertificateAuthority.load(rsa().caCert(), rsa().caKey());
        }
        return rsaCa;
    }

    record Result(int exitCode, String output) {}

    /** Runs openssl with the arguments; stdout and stderr together. */
    static Result openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return run(cmd, Map.of());
    }

    /** Runs a command to its end (at most 30 s) with extra environment variables; stdout and stderr together. */
    static Result run(List<String> cmd, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as(cmd.get(0) + " finished")
                    .isTrue();
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static List<String> listRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
