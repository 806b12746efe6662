package io.e2d.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdExtensionPerTestIT {
    private static final List<Path> SEEN = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final EtcdExtension etcd = EtcdExtension.single();

    @RepeatedTest(2)
    void eachTestGetsAFreshEmptyEtcd() throws Exception {
        for (Path earlier : SEEN) {
            assertThat(earlier).doesNotExist(); // the previous test's etcd was torn down
        }
        assertThat(etcd.dataDir(0)).isDirectory();
        SEEN.add(etcd.dataDir(0));
        ByteSequence key = ByteSequence.from("/per-test/key", UTF_8);
        assertThat(etcd.client()
                        .getKVClient()
                        .get(key)
                        .get(30, TimeUnit.SECONDS)
                        .getCount())
                .isZero();
        etcd.client().getKVClient().put(key, ByteSequence.from("v", UTF_8)).get(30, TimeUnit.SECONDS);
        assertThat(Files.isDirectory(etcd.dataDir(0))).isTrue();
    }
}
