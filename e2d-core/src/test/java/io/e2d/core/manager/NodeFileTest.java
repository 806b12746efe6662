package io.e2d.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.core.internal.BoltMembers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class NodeFileTest {
    static final URI PEER = URI.create("http://127.0.0.1:2380");
    /** The member recorded in the test vector {@code plain.db} (an etcd 3.4 database). */
    static final URI VECTOR_PEER = URI.create("http://127.0.0.1:43380");

    @TempDir
    Path dir;

    static Path vector(String file) {
        return Path.of(System.getProperty("e2d.vectors.dir"), "e2d-snapshot", file);
    }

    void etcdDatabase(Path source) throws Exception {
        Files.createDirectories(dir.resolve("member/snap"));
        Files.copy(source, dir.resolve("member/snap/db"));
    }

    @Test
    void nameIsFlag_elseReadBack_elseGeneratedAndStable() throws Exception {
        assertThat(NodeFile.resolveName(Optional.of("flag"), dir, PEER)).isEqualTo("flag");
        String generated = NodeFile.resolveName(Optional.empty(), dir, PEER);
        assertThat(generated).matches("[0-9A-F]{16}");
        new NodeFile(generated, Optional.empty()).write(dir);
        assertThat(NodeFile.resolveName(Optional.empty(), dir, PEER)).isEqualTo(generated);
        assertThat(NodeFile.resolveName(Optional.of("flag"), dir, PEER)).isEqualTo("flag");
    }

    @Test
    void withoutNodeFile_theNameIsReadFromEtcdsMemberList() throws Exception {
        etcdDatabase(vector("plain.db"));
        assertThat(BoltMembers.read(dir.resolve("member/snap/db")))
                .containsExactly(new BoltMembers.Member("v1", List.of(VECTOR_PEER)));
        assertThat(NodeFile.resolveName(Optional.empty(), dir, VECTOR_PEER)).isEqualTo("v1");
        // the node file and the flag still win
        new NodeFile("from-file", Optional.empty()).write(dir);
        assertThat(NodeFile.resolveName(Optional.empty(), dir, VECTOR_PEER)).isEqualTo("from-file");
        assertThat(NodeFile.resolveName(Optional.of("flag"), dir, VECTOR_PEER)).isEqualTo("flag");
    }

    @Test
    void noMemberWithThisPeerUrl_orAnUnreadableDatabase_givesANewName() throws Exception {
        etcdDatabase(vector("plain.db"));
        assertThat(NodeFile.resolveName(Optional.empty(), dir, PEER)).matches("[0-9A-F]{16}");

        Files.writeString(dir.resolve("member/snap/db"), "not a bbolt file at all, too short");
        assertThat(NodeFile.resolveName(Optional.empty(), dir, VECTOR_PEER)).matches("[0-9A-F]{16}");
        Files.write(dir.resolve("member/snap/db"), new byte[8192]);
        assertThatThrownBy(() -> BoltMembers.read(dir.resolve("member/snap/db")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a bbolt database");
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
