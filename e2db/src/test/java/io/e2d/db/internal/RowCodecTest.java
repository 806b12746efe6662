package io.e2d.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.db.DecryptionException;
import io.e2d.db.InvalidModelException;
import io.e2d.db.annotation.Encrypted;
import io.e2d.db.annotation.Id;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RowCodecTest {
    record Doc(@Id String id, int n, Instant at, List<String> tags, Map<String, Integer> counts, byte[] raw) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Doc d
                    && id.equals(d.id)
                    && n == d.n
                    && at.equals(d.at)
                    && tags.equals(d.tags)
                    && counts.equals(d.counts)
                    && Arrays.equals(raw, d.raw);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    record Secret(@Id long id, String label, @Encrypted String password) {}

    @Encrypted
    record Sealed(@Id long id, String body) {}

    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 8);
    }

    @Test
    void roundTripsJsonWithJavaFieldNames() {
        RowCodec<Doc> codec = new RowCodec<>(Models.of(Doc.class), null);
        Doc doc = new Doc(
                "a/b", 3, Instant.parse("2026-11-24T04:00:00Z"), List.of("x", "y"), Map.of("k", 1), new byte[] {1, 2});
        byte[] bytes = codec.encode(doc, "a%2Fb");
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"id\":\"a/b\"")
                .contains("\"at\":\"2026-11-24T04:00:00Z\"")
                .contains("\"n\":3");
        assertThat(codec.decode(bytes, "a%2Fb")).isEqualTo(doc);
    }

    @Test
    void encryptsOnlyTheEncryptedField() {
        RowCodec<Secret> codec = new RowCodec<>(Models.of(Secret.class), new Aead(KEY));
        byte[] bytes = codec.encode(new Secret(1, "db", "hunter2"), "P1");
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"label\":\"db\"")
                .contains("\"password\":\"e2db:v1:")
                .doesNotContain("hunter2");
        assertThat(codec.decode(bytes, "P1")).isEqualTo(new Secret(1, "db", "hunter2"));
        RowCodec<Secret> wrong = new RowCodec<>(Models.of(Secret.class), new Aead(OTHER_KEY));
        assertThatThrownBy(() -> wrong.decode(bytes, "P1"))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("field 'password'")
                .hasMessageContaining("not the key it was written with");
    }

    @Test
    void encryptsTheWholeRowOfAnEncryptedTable() {
        RowCodec<Sealed> codec = new RowCodec<>(Models.of(Sealed.class), new Aead(KEY));
        byte[] bytes = codec.encode(new Sealed(5, "top secret"), "P5");
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                .startsWith("E2DB")
                .doesNotContain("top secret");
        assertThat(codec.decode(bytes, "P5")).isEqualTo(new Sealed(5, "top secret"));
        // bound to its row: moving the ciphertext to another id fails
        assertThatThrownBy(() -> codec.decode(bytes, "P6")).isInstanceOf(DecryptionException.class);
        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> codec.decode(bytes, "P5")).isInstanceOf(DecryptionException.class);
    }

    @Test
    void refusesAnEncryptedModelWithoutKey() {
        assertThatThrownBy(() -> new RowCodec<>(Models.of(Secret.class), null))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("set E2dbConfig.encryptionKey");
    }

    @Test
    void schemaDescribesFieldsAndAnnotations() {
        String schema = RowCodec.schema(Models.of(Secret.class));
        assertThat(schema)
                .contains("\"table\":\"Secret\"")
                .contains("{\"name\":\"id\",\"type\":\"long\",\"id\":true}")
                .contains("{\"name\":\"password\",\"type\":\"java.lang.String\",\"encrypted\":true}");
    }
}
