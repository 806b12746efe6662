package io.e2d.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VectorsTest {
    @ParameterizedTest
    @CsvSource({
        "plain.db, BBOLT",
        "snapshot.gz, GZIP BBOLT",
        "snapshot.enc, ENCRYPTED BBOLT",
        "snapshot.enc.gz, GZIP ENCRYPTED BBOLT"
    })
    void everyGoVectorDecodesToPlainDb(String name, String layers) throws IOException {
        byte[] stored = Vectors.read(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DecodingInputStream in =
                SnapshotCodecs.decoder(new ByteArrayInputStream(stored), Optional.of(Vectors.key()))) {
            in.transferTo(out);
            assertThat(in.layers()).map(Enum::name).containsExactly(layers.split(" "));
        }
        assertThat(out.toByteArray()).isEqualTo(Vectors.read("plain.db"));

        SnapshotCheck check = SnapshotCodecs.verify(new ByteArrayInputStream(stored), Optional.of(Vectors.key()));
        assertThat(check.size()).isEqualTo(24576);
        assertThat(check.hasHashTrailer()).isFalse();
        assertThat(check.storedSize()).isEqualTo(stored.length);
        assertThat(check.isEncrypted()).isEqualTo(layers.contains("ENCRYPTED"));
    }

    @Test
    void etcdctlSnapshotWithTrailerIsRecognisedAndItsHashChecked() throws IOException {
        byte[] full = Vectors.read("full.db");
        SnapshotCheck check = SnapshotCodecs.verify(new ByteArrayInputStream(full), Optional.empty());
        assertThat(check.hasHashTrailer()).isTrue();
        assertThat(check.size()).isEqualTo(full.length);
        assertThat(Arrays.copyOf(full, 24576)).isEqualTo(Vectors.read("plain.db"));

        byte[] corrupt = full.clone();
        corrupt[5000] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SnapshotCodecs.verify(new ByteArrayInputStream(corrupt), Optional.empty()))
                .isInstanceOf(io.e2d.snapshot.SnapshotFormatException.class)
                .hasMessageContaining("SHA-256 trailer does not match");
    }

    @Test
    void goVectorHeaderMatchesOurVarint() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Envelope.writeVarint(out, 24576);
        byte[] enc = Vectors.read("snapshot.enc");
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(enc, 10, 13));
        for (long v : new long[] {0, 1, -1, 63, -64, 64, 300, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Envelope.writeVarint(b, v);
            assertThat(Envelope.readVarint(new ByteArrayInputStream(b.toByteArray())))
                    .as("varint %d", v)
                    .isEqualTo(v);
            assertThat(b.size()).isEqualTo(Envelope.varintLength(v));
            for (int width = b.size(); width <= 10; width++) {
                ByteArrayOutputStream padded = new ByteArrayOutputStream();
                Envelope.writeVarint(padded, v, width);
                assertThat(padded.size()).isEqualTo(width);
                assertThat(Envelope.readVarint(new ByteArrayInputStream(padded.toByteArray())))
                        .as("varint %d in %d bytes", v, width)
                        .isEqualTo(v);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Envelope.writeVarint(new ByteArrayOutputStream(), 300, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 2");
    }
}
