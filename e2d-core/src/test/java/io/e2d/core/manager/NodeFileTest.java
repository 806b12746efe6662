package io.e2d.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class NodeFileTest {
    @TempDir
    Path dir;

    @Test
    void nameIsFlag_elseReadBack_elseGeneratedAndStable() throws Exception {
        assertThat(NodeFile.resolveName(Optional.of("flag"), dir)).isEqualTo("flag");
        String generated = NodeFile.resolveName(Optional.empty(), dir);
        assertThat(generated).matches("[0-9A-F]{16}");
        new NodeFile(generated, Optional.empty()).write(dir);
        assertThat(NodeFile.resolveName(Optional.empty(), dir)).isEqualTo(generated);
        assertThat(NodeFile.resolveName(Optional.of("flag"), dir)).isEqualTo("flag");
    }

    @Test
    void restoreMarker_roundTrips() throws Exception {
        new NodeFile("n1", Optional.of("snap-1")).write(dir);
        assertThat(NodeFile.read(dir)).contains(new NodeFile("n1", Optional.of("snap-1")));
        new NodeFile("n1", Optional.empty()).write(dir);
        assertThat(NodeFile.read(dir).orElseThrow().restoredFrom()).isEmpty();
    }

    @Test
    void etcdDataIsAWal() throws Exception {
        assertThat(NodeFile.hasEtcdData(dir)).isFalse();
        Files.createDirectories(dir.resolve("member/wal"));
        assertThat(NodeFile.hasEtcdData(dir)).isFalse();
        Files.writeString(dir.resolve("member/wal/0000000000000000-0000000000000000.wal"), "x");
        assertThat(NodeFile.hasEtcdData(dir)).isTrue();
    }
}
