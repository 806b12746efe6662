package io.e2d.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.cluster.Member;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdExtensionClusterIT {
    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.cluster(3);

    @Test
    void threeMembersFormOneClusterAndSurviveTheLossOfOne() throws Exception {
        assertThat(etcd.endpoints()).hasSize(3).doesNotHaveDuplicates();
        assertThat(etcd.client()
                        .getClusterClient()
                        .listMember()
                        .get(30, TimeUnit.SECONDS)
                        .getMembers())
                .extracting(Member::getName)
                .containsExactlyInAnyOrder(etcd.name(0), etcd.name(1), etcd.name(2));

        ByteSequence key = ByteSequence.from("/cluster/key", UTF_8);
        etcd.client().getKVClient().put(key, ByteSequence.from("before", UTF_8)).get(30, TimeUnit.SECONDS);

        etcd.kill(1);
        // A request in flight when the leader dies fails with "request timed out": clients retry.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(
                        () -> etcd.client()
                                .getKVClient()
                                .put(key, ByteSequence.from("during", UTF_8))
                                .get(30, TimeUnit.SECONDS),
                        r -> true);

        etcd.restart(1);
        // The restarted member caught up: read from it alone.
        try (io.etcd.jetcd.Client direct = io.etcd.jetcd.Client.builder()
                .endpoints(etcd.config(1).advertiseClientUrls().get(0))
                .build()) {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(direct.getKVClient()
                                    .get(key)
                                    .get(30, TimeUnit.SECONDS)
                                    .getKvs()
                                    .get(0)
                                    .getValue()
                                    .toString(UTF_8))
                            .isEqualTo("during"));
        }
    }
}
