package io.e2d.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.db.annotation.Encrypted;
import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.testing.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Field- and table-level AES-256-GCM against a real etcd. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EncryptionIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    /** Bound of etcd requests and waits: generous, CI machines can be heavily loaded. */
    private static final java.time.Duration SLOW = java.time.Duration.ofSeconds(30);

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    /** Go e2db's Cert test model, with a String secret too (Go panicked on encrypted strings). */
    static final class Cert {
        @Id
        String path;

        @Index
        String description;

        @Encrypted
        byte[] data;

        @Encrypted
        String password;

        private Cert() {}

        Cert(String path, String description, byte[] data, String password) {
            this.path = path;
            this.description = description;
            this.data = data;
            this.password = password;
        }
    }

    @Encrypted
    record Note(@Id long id, @Index String topic, String body) {}

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private String namespace;
    private E2db db;

    @BeforeEach
    void open() {
        namespace = "enc" + NAMESPACES.incrementAndGet();
        db = E2db.using(
                ETCD.client(),
                E2dbConfig.builder()
                        .requestTimeout(SLOW)
                        .namespace(namespace)
                        .encryptionKey(key(1))
                        .build());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void encryptedFieldsRoundTripAndNeverReachEtcdInPlaintext() {
        Table<Cert> certs = db.table(Cert.class);
        Cert original =
                new Cert("/etc/ssl/ca.crt", "ca", "-----BEGIN SECRET-----".getBytes(StandardCharsets.UTF_8), "hunter2");
        Cert stored = certs.insert(original);
        assertThat(stored.data).isEqualTo(original.data); // Go replaced the caller's value by ciphertext
        String raw = raw("/" + namespace + "/Cert/r/%2Fetc%2Fssl%2Fca.crt");
        assertThat(raw)
                .contains("\"description\":\"ca\"")
                .contains("e2db:v1:")
                .doesNotContain("hunter2")
                .doesNotContain("BEGIN SECRET");
        Cert found = certs.get("/etc/ssl/ca.crt");
        assertThat(found.data).isEqualTo(original.data);
        assertThat(found.password).isEqualTo("hunter2");
        // Go decrypted twice on a slice Find through an index
        assertThat(certs.findBy("description", "ca")).singleElement().satisfies(c -> assertThat(c.password)
                .isEqualTo("hunter2"));
        assertThat(certs.all()).singleElement().satisfies(c -> assertThat(c.data)
                .isEqualTo(original.data));
        certs.update(new Cert("/etc/ssl/ca.crt", "ca", new byte[] {1}, "correct horse"));
        assertThat(certs.get("/etc/ssl/ca.crt").password).isEqualTo("correct horse");
    }

    @Test
    void encryptedTablesSealWholeRowsButKeepKeysQueryable() {
        Table<Note> notes = db.table(Note.class);
        notes.insert(new Note(1, "ops", "the root password is in the safe"));
        String raw = raw("/" + namespace + "/Note/r/P0000000000000000001");
        assertThat(raw).startsWith("E2DB").doesNotContain("root password").doesNotContain("ops");
        assertThat(notes.findBy("topic", "ops"))
                .extracting(Note::body)
                .containsExactly("the root password is in the safe");
    }

    @Test
    void aWrongKeyIsAClearError() {
        db.table(Cert.class).insert(new Cert("p", "d", new byte[] {1, 2, 3}, "pw"));
        db.table(Note.class).insert(new Note(1, "t", "b"));
        try (E2db other = E2db.using(
                ETCD.client(),
                E2dbConfig.builder()
                        .requestTimeout(SLOW)
                        .namespace(namespace)
                        .encryptionKey(key(2))
                        .build())) {
            assertThatThrownBy(() -> other.table(Cert.class).get("p"))
                    .isInstanceOf(DecryptionException.class)
                    .hasMessageContaining("field 'data'")
                    .hasMessageContaining("not the key it was written with");
            assertThatThrownBy(() -> other.table(Note.class).all())
                    .isInstanceOf(DecryptionException.class)
                    .hasMessageContaining("table 'Note'");
        }
        try (E2db noKey = E2db.using(
                ETCD.client(),
                E2dbConfig.builder().requestTimeout(SLOW).namespace(namespace).build())) {
            assertThatThrownBy(() -> noKey.table(Note.class))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("set E2dbConfig.encryptionKey");
        }
    }

    private String raw(String key) {
        try {
            var kvs = ETCD.client()
                    .getKVClient()
                    .get(ByteSequence.from(key, StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS)
                    .getKvs();
            assertThat(kvs).as("key %s", key).hasSize(1);
            return kvs.get(0).getValue().toString(StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
