package io.e2d.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DerTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shortAndLongLengthsRoundTripAsBouncyCastleEncodesThem() throws Exception {
        for (int length : new int[] {0, 1, 127, 128, 255, 256, 1000, 65535, 65536, 70000}) {
            byte[] content = new byte[length];
            java.util.Arrays.fill(content, (byte) length);
            byte[] encoded = Der.octetString(content);
            assertThat(encoded).as("length %d", length).isEqualTo(new DEROctetString(content).getEncoded());
            Der.Element e = Der.single(encoded, Der.OCTET_STRING, "the string");
            assertThat(e.content()).isEqualTo(content);
            assertThat(e.encoded()).isEqualTo(encoded);
        }
    }

    @Test
    void integersAndOidsMatchBouncyCastle() throws Exception {
        for (BigInteger v : new BigInteger[] {
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.valueOf(127),
            BigInteger.valueOf(128),
            BigInteger.valueOf(-1),
            BigInteger.TWO.pow(2048).subtract(BigInteger.ONE)
        }) {
            byte[] encoded = Der.integer(v);
            assertThat(encoded).isEqualTo(new ASN1Integer(v).getEncoded());
            assertThat(Der.single(encoded, Der.INTEGER, "n").integer("n")).isEqualTo(v);
        }
        for (String oid : new String[] {
            "1.2.840.113549.1.1.1",
            "1.2.840.10045.2.1",
            "1.2.840.10045.3.1.7",
            "1.3.132.0.34",
            "1.3.101.112",
            "2.5.29.17",
            "2.999.1",
            "0.0",
            "1.39.4294967296"
        }) {
            byte[] encoded = Der.oid(oid);
            assertThat(encoded).as(oid).isEqualTo(new ASN1ObjectIdentifier(oid).getEncoded());
            assertThat(Der.single(encoded, Der.OBJECT_IDENTIFIER, "oid").oid("oid"))
                    .isEqualTo(oid);
        }
    }

    @Test
    void nestedSequencesAreWalkedElementByElement() {
        byte[] der = Der.sequence(
                Der.integer(BigInteger.ONE),
                Der.sequence(Der.oid("1.2.3.4"), Der.nullElement()),
                Der.element(Der.explicit(0), Der.octetString(new byte[] {9})));
        Der.Reader r = Der.single(der, Der.SEQUENCE, "outer").children();
        assertThat(r.next(Der.INTEGER, "version").integer("version")).isEqualTo(BigInteger.ONE);
        Der.Reader inner = r.next(Der.SEQUENCE, "inner").children();
        assertThat(inner.next(Der.OBJECT_IDENTIFIER, "oid").oid("oid")).isEqualTo("1.2.3.4");
        assertThat(inner.peekTag()).isEqualTo(Der.NULL);
        inner.next(Der.NULL, "null");
        inner.end("inner");
        assertThat(inner.peekTag()).isEqualTo(-1);
        Der.Element tagged = r.next(0xa0, "[0]");
        assertThat(tagged.children().next(Der.OCTET_STRING, "o").content()).containsExactly(9);
        r.end("outer");
    }

    @Test
    void malformedDerIsRefusedWithWhatAndWhere() {
        String[][] sequences = {
            {"30800201000000", "the key at offset 0 has an indefinite length (BER, not DER); convert it with openssl"},
            {"300a020101", "the key at offset 0 is truncated: it declares 10 content bytes, 3 are left"},
            {"30", "the key at offset 0 is truncated: 1 byte(s) left, no length"},
            {"", "expected the key (tag 0x30) at offset 0, found the end of its structure"},
            {"3081050201010500", "the key at offset 0 has a non-minimal length encoding (not DER)"},
            {"308200050201010500", "the key at offset 0 has a non-minimal length encoding (not DER)"},
            {"3085010000000000", "the key at offset 0 has a 5-byte length field, too long"},
            {"3082ff", "the key at offset 0 is truncated inside its length"},
            {"3084ffffffff00", "the key at offset 0 is truncated: it declares 4294967295 content bytes, 1 are left"},
            {"3000ff", "the key has 1 unexpected trailing byte(s) at offset 2"},
            {"020101", "expected the key (tag 0x30) at offset 0, found tag 0x02"},
        };
        for (String[] c : sequences) {
            assertThatThrownBy(() -> Der.single(HEX.parseHex(c[0]), Der.SEQUENCE, "the key"))
                    .as(c[0])
                    .isInstanceOf(EncodingException.class)
                    .hasMessageStartingWith(c[1]);
        }
        assertThatThrownBy(() -> Der.single(HEX.parseHex("1f2200"), 0x1f, "the key"))
                .hasMessage("the key at offset 0 has a multi-byte tag, not used by keys");
        String[][] oids = {
            {"06022a86", "the OID is an OBJECT IDENTIFIER truncated inside an arc"},
            {"0603808001", "the OID is an OBJECT IDENTIFIER with a non-minimal arc (not DER)"},
            {"0600", "the OID is an OBJECT IDENTIFIER with no content octets"},
        };
        for (String[] c : oids) {
            assertThatThrownBy(() -> Der.single(HEX.parseHex(c[0]), Der.OBJECT_IDENTIFIER, "o")
                            .oid("the OID"))
                    .as(c[0])
                    .isInstanceOf(EncodingException.class)
                    .hasMessage(c[1]);
        }
        assertThatThrownBy(
                        () -> Der.single(HEX.parseHex("0200"), Der.INTEGER, "n").integer("the version"))
                .isInstanceOf(EncodingException.class)
                .hasMessage("the version is an INTEGER with no content octets");
    }
}
