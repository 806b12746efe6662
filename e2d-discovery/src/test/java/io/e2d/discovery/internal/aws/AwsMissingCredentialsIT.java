package io.e2d.discovery.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.discovery.FakeHttpServer.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AWS discovery on an instance without credentials: the SDK's whole default chain runs and finds nothing
 * (a separate JVM with no {@code AWS_*} variables, an empty home and credentials files, and the instance
 * role looked up in {@link AwsFake}'s IMDS, which has no role). The result is one {@code
 * MissingCredentialsException} that says what to set, never an empty peer list.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AwsMissingCredentialsIT {
    private final AwsFake aws = new AwsFake();

    @TempDir
    Path home;

    @AfterEach
    void close() {
        aws.close();
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run discoverInCleanJvm(String spec) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + home,
                "-Daws.sharedCredentialsFile=" + home.resolve("no-credentials"),
                "-Daws.configFile=" + home.resolve("no-config"),
                // where the instance-profile provider of the default chain asks for the role
                "-Daws.ec2MetadataServiceEndpoint=" + aws.server().uri(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                NoCredentialsMain.class.getName(),
                spec,
                aws.server().uri().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("discovery did not finish within 60 s: " + Files.readString(out));
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec2-tags:role=etcd", "aws-autoscaling-group"})
    void noCredentialsAnywhereIsOneClearErrorNamingWhatToSet(String spec) throws Exception {
        aws.instance("i-0aaa", "10.0.0.11");
        aws.tags.add(new AwsFake.Tag("i-0aaa", "instance", "role", "etcd"));
        aws.groups.put("etcd-asg", List.of(aws.selfId, "i-0aaa"));

        Run run = discoverInCleanJvm(spec);

        assertThat(run.exit())
                .as("stdout %s stderr %s", run.stdout(), run.stderr())
                .isEqualTo(3);
        String method = spec.split(":")[0];
        assertThat(run.stdout())
                .startsWith("FAILED MissingCredentialsException: " + method + ": no AWS credentials found")
                .contains("attach an instance role")
                .contains("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
                .contains("--aws-access-key and --aws-secret-key")
                .doesNotContain("PEERS");
        assertThat(run.stderr()).doesNotContain("\tat ");
        // The chain did ask the (local) instance metadata service for a role, and no AWS API was called.
        List<String> paths = aws.server().requests().stream().map(Request::path).toList();
        assertThat(paths).anyMatch(path -> path.startsWith("/latest/meta-data/iam/security-credentials"));
        assertThat(aws.server().requests()).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void explicitCredentialsNeedNoChain() throws Exception {
        // Control: the same clean JVM finds peers once credentials are in the environment's place of choice.
        aws.instance("i-0aaa", "10.0.0.11");
        aws.tags.add(new AwsFake.Tag("i-0aaa", "instance", "role", "etcd"));
        Files.writeString(
                home.resolve("no-credentials"),
                "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMIEXAMPLEKEY\n");

        Run run = discoverInCleanJvm("ec2-tags:role=etcd");

        assertThat(run.exit())
                .as("stdout %s stderr %s", run.stdout(), run.stderr())
                .isZero();
        assertThat(run.stdout()).contains("PEERS [10.0.0.11:7980]");
    }
}
