package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdBinaryTest {
    @TempDir
    Path dir;

    private Path fakeEtcd(Path where, String version) throws IOException {
        Files.createDirectories(where);
        Path script = where.resolve("etcd");
        Files.writeString(script, "#!/bin/sh\necho 'etcd Version: " + version + "'\necho 'Git SHA: test'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void explicitPathWinsOverEnvironmentAndPath() throws IOException {
        Path explicit = fakeEtcd(dir.resolve("explicit"), "3.6.4");
        Path fromEnv = fakeEtcd(dir.resolve("env"), "3.5.17");
        fakeEtcd(dir.resolve("path"), "3.4.23");
        Map<String, String> env = Map.of(
                "E2D_ETCD_BINARY",
                fromEnv.toString(),
                "PATH",
                dir.resolve("path").toString());

        assertThat(EtcdBinary.resolve(Optional.of(explicit), env).version()).isEqualTo(EtcdVersion.parse("3.6.4"));
        EtcdBinary viaEnv = EtcdBinary.resolve(Optional.empty(), env);
        assertThat(viaEnv.path()).isEqualTo(fromEnv);
        assertThat(viaEnv.version()).isEqualTo(EtcdVersion.parse("3.5.17"));
        EtcdBinary viaPath =
                EtcdBinary.resolve(Optional.empty(), Map.of("PATH", "/nonexistent:" + dir.resolve("path")));
        assertThat(viaPath.version()).isEqualTo(EtcdVersion.parse("3.4.23"));
        assertThat(viaPath.path()).isEqualTo(dir.resolve("path").resolve("etcd"));
    }

    @Test
    void missingBinarySaysHowToInstall() {
        assertThatThrownBy(() -> EtcdBinary.resolve(Optional.empty(), Map.of("PATH", dir.toString())))
                .isInstanceOf(EtcdBinaryNotFoundException.class)
                .hasMessageContaining("etcd binary not found")
                .hasMessageContaining("apt-get install -y etcd-server etcd-client")
                .hasMessageContaining("E2D_ETCD_BINARY")
                .hasMessageContaining("--etcd-binary");
        assertThatThrownBy(() -> EtcdBinary.resolve(Optional.of(dir.resolve("nope")), Map.of()))
                .isInstanceOf(EtcdBinaryNotFoundException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("apt-get install");
        assertThatThrownBy(() -> EtcdBinary.resolve(
                        Optional.empty(), Map.of("E2D_ETCD_BINARY", dir.toString(), "PATH", "/usr/bin")))
                .isInstanceOf(EtcdBinaryNotFoundException.class)
                .hasMessageContaining("(from E2D_ETCD_BINARY) is not an executable file");
    }

    @Test
    void rejectsTooOldOrUnrecognisedBinaries() throws IOException {
        Path old = fakeEtcd(dir.resolve("old"), "3.3.27");
        assertThatThrownBy(() -> EtcdBinary.resolve(Optional.of(old), Map.of()))
                .isInstanceOf(EtcdBinaryNotFoundException.class)
                .hasMessageContaining("etcd 3.3.27")
                .hasMessageContaining("needs etcd 3.4");
        Path notEtcd = dir.resolve("true");
        Files.writeString(notEtcd, "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(notEtcd, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> EtcdBinary.resolve(Optional.of(notEtcd), Map.of()))
                .hasMessageContaining("printed no 'etcd Version: x.y.z' line");
    }

    @Test
    void findsCompanionToolsNextToEtcd() throws IOException {
        Path etcd = fakeEtcd(dir.resolve("bin"), "3.5.17");
        Path etcdutl = dir.resolve("bin").resolve("etcdutl");
        Files.writeString(etcdutl, "#!/bin/sh\n");
        Files.setPosixFilePermissions(etcdutl, PosixFilePermissions.fromString("rwxr-xr-x"));
        EtcdBinary binary = EtcdBinary.resolve(Optional.of(etcd), Map.of("PATH", dir.toString()));
        assertThat(binary.etcdutl()).contains(etcdutl);
        assertThat(binary.etcdctl()).isEmpty();
    }
}
