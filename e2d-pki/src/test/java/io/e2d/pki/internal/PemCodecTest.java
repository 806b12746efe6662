package io.e2d.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PemCodecTest {
    private static final byte[] HELLO = "hello, e2d".getBytes(StandardCharsets.US_ASCII);

    @Test
    void encodingIsByteForByteWhatBouncyCastleWritesForEveryLineLength() throws Exception {
        Random random = new Random(42);
        for (int length = 0; length <= 200; length++) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            String ours = PemCodec.encode("CERTIFICATE", content);
            assertThat(ours).as("length %d", length).isEqualTo(bouncyCastle("CERTIFICATE", content));
            List<PemCodec.Block> back = PemCodec.decode(ours);
            assertThat(back).hasSize(1);
            assertThat(back.get(0).type()).isEqualTo("CERTIFICATE");
            assertThat(back.get(0).content()).isEqualTo(content);
            assertThat(back.get(0).headers()).isEmpty();
        }
    }

    @Test
    void decodingAgreesWithBouncyCastleOnOrdinaryFiles() throws Exception {
        String text = "subject=CN = e2d-ca\nissuer=CN = e2d-ca\n" + PemCodec.encode("CERTIFICATE", HELLO)
                + "some trailing words\n" + PemCodec.encode("RSA PRIVATE KEY", new byte[300]);
        List<PemCodec.Block> ours = PemCodec.decode(text);
        try (PemReader reader = new PemReader(new java.io.StringReader(text))) {
            for (PemCodec.Block b : ours) {
                PemObject o = reader.readPemObject();
                assertThat(b.type()).isEqualTo(o.getType());
                assertThat(b.content()).isEqualTo(o.getContent());
            }
            assertThat(reader.readPemObject()).isNull();
        }
        assertThat(ours).extracting(PemCodec.Block::type).containsExactly("CERTIFICATE", "RSA PRIVATE KEY");
    }

    @Test
    void headersCrLfWhitespaceAndTextOutsideBlocksAreHandledAsOpenSslDoes() {
        String text = "Bag Attributes\r\n    localKeyID: 01 02\r\n"
                + "  -----BEGIN RSA PRIVATE KEY-----  \r\n"
                + "Proc-Type: 4,ENCRYPTED\r\n"
                + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\r\n"
                + "\r\n"
                + "aGVsbG8s\r\n"
                + "\r\n"
                + "  IGUyZA==  \r\n"
                + "-----END RSA PRIVATE KEY-----\r\n"
                + "-----BEGIN broken line\n"
                + "trailing text";
        List<PemCodec.Block> blocks = PemCodec.decode(text);
        assertThat(blocks).hasSize(1);
        PemCodec.Block b = blocks.get(0);
        assertThat(b.type()).isEqualTo("RSA PRIVATE KEY");
        assertThat(b.content()).isEqualTo(HELLO);
        assertThat(b.headers())
                .containsExactly(
                        new PemCodec.Header("Proc-Type", "4,ENCRYPTED"),
                        new PemCodec.Header("DEK-Info", "AES-128-CBC,00112233445566778899AABBCCDDEEFF"));
        assertThat(b.hasHeader("proc-type", "ENCRYPTED")).isTrue();
        assertThat(b.hasHeader("DEK-Info", "ENCRYPTED")).isFalse();
        String crOnly = PemCodec.encode("CERTIFICATE", HELLO).replace('\n', '\r');
        assertThat(PemCodec.decode(crOnly)).singleElement().satisfies(c -> assertThat(c.content())
                .isEqualTo(HELLO));
        assertThat(PemCodec.decode("no pem here\n")).isEmpty();
        assertThat(PemCodec.decode("")).isEmpty();
    }

    @Test
    void malformedBlocksAreRefusedWithTheReason() {
        String good = PemCodec.encode("CERTIFICATE", new byte[100]);
        assertThatThrownBy(() -> PemCodec.decode(good.substring(0, good.length() / 2)))
                .isInstanceOf(EncodingException.class)
                .hasMessage("-----END CERTIFICATE----- not found");
        assertThatThrownBy(() -> PemCodec.decode(good.replace("END CERTIFICATE", "END X509 CRL")))
                .isInstanceOf(EncodingException.class)
                .hasMessage("found -----END X509 CRL----- where -----END CERTIFICATE----- was expected");
        String twoBegins = good.substring(0, good.indexOf("-----END")) + good;
        assertThatThrownBy(() -> PemCodec.decode(twoBegins))
                .isInstanceOf(EncodingException.class)
                .hasMessage("-----END CERTIFICATE----- not found before the next -----BEGIN CERTIFICATE-----");
        assertThatThrownBy(() -> PemCodec.decode(good.replace("AAAA", "A*AA")))
                .isInstanceOf(EncodingException.class)
                .hasMessageStartingWith("the base64 body of the CERTIFICATE block is invalid: ");
    }

    private static String bouncyCastle(String type, byte[] content) throws Exception {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, content));
        }
        return out.toString();
    }
}
