package io.e2d.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.core.server.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.GetResponse;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdExtensionSingleIT {
    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.single();

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, UTF_8);
    }

    static String get(String key) throws Exception {
        GetResponse r = etcd.client().getKVClient().get(bytes(key)).get(30, TimeUnit.SECONDS);
        return r.getKvs().isEmpty() ? "<absent>" : r.getKvs().get(0).getValue().toString(UTF_8);
    }

    @Test
    void servesOneMemberOnALoopbackPort() throws Exception {
        assertThat(etcd.size()).isEqualTo(1);
        assertThat(etcd.endpoints()).hasSize(1);
        assertThat(etcd.endpoints().get(0).getHost()).isEqualTo("127.0.0.1");
        assertThat(etcd.endpoints().get(0).getPort()).isNotIn(2379, 2380);
        assertThat(etcd.server(0).state()).isEqualTo(EtcdServer.State.RUNNING);
        assertThat(Files.isDirectory(etcd.dataDir(0).resolve("member"))).isTrue();

        etcd.client().getKVClient().put(bytes("/single/a"), bytes("1")).get(30, TimeUnit.SECONDS);
        assertThat(get("/single/a")).isEqualTo("1");
        assertThat(etcd.client()
                        .getClusterClient()
                        .listMember()
                        .get(30, TimeUnit.SECONDS)
                        .getMembers())
                .hasSize(1)
                .first()
                .satisfies(m -> assertThat(m.getName()).isEqualTo(etcd.name(0)));
    }

    @Test
    void aKilledMemberRestartsWithItsData() throws Exception {
        etcd.client().getKVClient().put(bytes("/single/kept"), bytes("yes")).get(30, TimeUnit.SECONDS);
        long pid = etcd.server(0).pid();
        etcd.kill(0);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(etcd.server(0).isRunning()).isFalse();

        etcd.restart(0);
        assertThat(etcd.server(0).pid()).isNotEqualTo(pid);
        assertThat(get("/single/kept")).isEqualTo("yes");
    }

    @Test
    void aStoppedMemberIsBackForTheNextTest() throws Exception {
        // Whatever ran before, the shared member is running again when a test begins.
        assertThat(etcd.server(0).isRunning()).isTrue();
        etcd.stop(0);
        assertThat(etcd.server(0).state()).isEqualTo(EtcdServer.State.STOPPED);
    }
}
