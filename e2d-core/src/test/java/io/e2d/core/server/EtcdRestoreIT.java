package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdRestoreIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"full.db, true", "plain.db, false"})
    void restoresGoE2dAndEtcdctlSnapshots(String file, boolean hashVerified) throws Exception {
        Path dataDir = tmp.resolve("restored");
        EtcdServerConfig config = TestConfigs.single("restored", dataDir).build();
        EtcdBinary binary = EtcdBinary.resolve(config.binary());

        EtcdRestore.Result result = EtcdRestore.restore(EtcdRestoreTest.VECTORS.resolve(file), config, binary);

        assertThat(result.hashVerified()).isEqualTo(hashVerified);
        assertThat(result.command()).contains("--name=restored");
        assertThat(result.command().contains("--skip-hash-check=true")).isEqualTo(!hashVerified);
        assertThat(dataDir.resolve("member")).isDirectory();
        assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("restored");
        }
        try (EtcdServer server = EtcdServer.create(config, binary)) {
            server.start();
            assertThat(EtcdServerIT.get(server, "/vectors/hello")).isEqualTo("world-vectors");
            assertThat(EtcdServerIT.get(server, "/vectors/key20")).isEqualTo("value-20");
        }
    }

    @Test
    void aFailingToolLeavesNothingBehind() throws Exception {
        // A file with a valid size and no trailer but garbage content: the tool itself fails.
        Path garbage = Files.write(tmp.resolve("garbage.db"), new byte[4096]);
        Path dataDir = tmp.resolve("data");
        EtcdServerConfig config = TestConfigs.single("g", dataDir).build();
        assertThatThrownBy(() -> EtcdRestore.restore(garbage, config, EtcdBinary.resolve()))
                .isInstanceOfSatisfying(EtcdRestoreException.class, e -> assertThat(e.toolOutput())
                        .isNotEmpty())
                .hasMessageContaining("snapshot restore failed with exit code");
        assertThat(dataDir).doesNotExist();
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("garbage.db");
        }
    }
}
