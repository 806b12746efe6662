package io.e2d.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.pki.PkiFiles;
import io.e2d.testing.EtcdExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link E2db#connect} to a real etcd that requires client certificates (e2d-pki files). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single().tls();

    /** Bound of etcd requests and waits: generous, CI machines can be heavily loaded. */
    private static final java.time.Duration SLOW = java.time.Duration.ofSeconds(30);

    @Test
    void connectsWithTheClientCertificate() {
        PkiFiles pki = ETCD.pki();
        E2dbConfig config = E2dbConfig.builder()
                .requestTimeout(SLOW)
                .connectTimeout(SLOW)
                .endpoints(ETCD.endpoints())
                .namespace("tls")
                .tls(pki.caCert(), pki.clientCert(), pki.clientKeyPkcs8())
                .build();
        try (E2db db = E2db.connect(config)) {
            Table<Role> roles = db.table(Role.class);
            Role admin = roles.insert(Role.of("admin", "administrator"));
            assertThat(roles.get(admin.id())).isEqualTo(admin);
        }
        // read back through the extension's own mTLS client
        try (E2db other = E2db.using(
                ETCD.client(),
                E2dbConfig.builder().requestTimeout(SLOW).namespace("tls").build())) {
            assertThat(other.table(Role.class).findUnique("name", "admin")).isPresent();
        }
    }

    @Test
    void withoutAClientCertificateEtcdIsUnreachable() {
        assertThatThrownBy(() -> E2db.connect(E2dbConfig.builder()
                        .endpoints(ETCD.endpoints().get(0).toString().replace("https://", "http://"))
                        .connectTimeout(Duration.ofSeconds(1))
                        .requestTimeout(Duration.ofSeconds(1))
                        .build()))
                .isInstanceOf(E2dbException.class)
                .hasMessageContaining("cannot reach etcd");
    }

    @Test
    void tlsFilesRequireHttpsEndpoints() {
        PkiFiles pki = ETCD.pki();
        assertThatThrownBy(() -> E2dbConfig.builder()
                        .endpoints("http://127.0.0.1:2379")
                        .tls(pki.caCert(), pki.clientCert(), pki.clientKeyPkcs8())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must use https://");
    }
}
