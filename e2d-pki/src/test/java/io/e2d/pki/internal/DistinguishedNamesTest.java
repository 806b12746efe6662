package io.e2d.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DistinguishedNamesTest {
    @Test
    void namesPrintInEncodedOrderAsBouncyCastlePrintsThem() throws Exception {
        List<String> names = List.of(
                "CN=etcd peer, O=e2d",
                "CN=e2d-ca, O=e2d",
                "CN=etcd server, OU=ops, O=Critical Stack, L=MA, ST=Boston, C=US",
                "EMAILADDRESS=admin@example.com, CN=with\\, comma and \\+plus\\; \\\"quotes\\\" \\<\\>, O=e2d",
                "CN=\\#hash, OU=\\ lead and trail\\ , O=a\\=b",
                "CN=multi+UID=valued, DC=example, DC=com",
                "SERIALNUMBER=42, GIVENNAME=Ada, SURNAME=Lovelace, T=Dr, STREET=1 Main St",
                "OID.1.2.3.4=unknown attribute, CN=Grüße UTF-8");
        for (String rfc1779 : names) {
            byte[] der = new X500Principal(rfc1779).getEncoded();
            assertThat(DistinguishedNames.format(der))
                    .as(rfc1779)
                    .isEqualTo(X500Name.getInstance(der).toString());
        }
        assertThat(DistinguishedNames.format(new X500Principal("CN=etcd peer, O=e2d").getEncoded()))
                .isEqualTo("O=e2d,CN=etcd peer");
        // A BMPString value (openssl -utf8 writes those for some attributes).
        byte[] bmp = Der.sequence(Der.element(
                0x31, Der.sequence(Der.oid("2.5.4.3"), Der.element(0x1e, "e2d".getBytes(StandardCharsets.UTF_16BE)))));
        assertThat(DistinguishedNames.format(bmp))
                .isEqualTo("CN=e2d")
                .isEqualTo(X500Name.getInstance(bmp).toString());
        assertThat(DistinguishedNames.format(Der.sequence())).isEmpty();
    }
}
