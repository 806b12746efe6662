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
class EtcdExtensionTlsClusterIT {
    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.cluster(3).tls();

    @Test
    void membersTalkMutualTlsToEachOther() throws Exception {
        assertThat(etcd.client()
                        .getClusterClient()
                        .listMember()
                        .get(30, TimeUnit.SECONDS)
                        .getMembers())
                .hasSize(3)
                .allSatisfy(m -> assertThat(m.getPeerURIs())
                        .allSatisfy(u -> assertThat(u.getScheme()).isEqualTo("https")))
                .extracting(Member::getName)
                .containsExactlyInAnyOrder(etcd.name(0), etcd.name(1), etcd.name(2));
        for (int i = 0; i < 3; i++) {
            assertThat(etcd.server(i).command())
                    .contains(
                            "--peer-client-cert-auth=true",
                            "--peer-trusted-ca-file=" + etcd.pki().caCert());
        }
        ByteSequence key = ByteSequence.from("/tls-cluster/key", UTF_8);
        etcd.client()
                .getKVClient()
                .put(key, ByteSequence.from("replicated", UTF_8))
                .get(30, TimeUnit.SECONDS);
        assertThat(etcd.client()
                        .getKVClient()
                        .get(key)
                        .get(30, TimeUnit.SECONDS)
                        .getKvs()
                        .get(0)
                        .getValue()
                        .toString(UTF_8))
                .isEqualTo("replicated");
    }
}
