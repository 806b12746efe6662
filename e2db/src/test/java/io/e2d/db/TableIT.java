package io.e2d.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Table;
import io.e2d.db.annotation.Unique;
import io.e2d.testing.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CRUD against a real etcd: Go e2db's db_test.go cases plus the behaviours it got wrong. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TableIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    /** Bound of etcd requests and waits: generous, CI machines can be heavily loaded. */
    private static final java.time.Duration SLOW = java.time.Duration.ofSeconds(30);

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private E2db db;
    private io.e2d.db.Table<Role> roles;
    private String namespace;

    @BeforeEach
    void open() {
        namespace = "crud" + NAMESPACES.incrementAndGet();
        db = E2db.using(
                ETCD.client(),
                E2dbConfig.builder().requestTimeout(SLOW).namespace(namespace).build());
        roles = db.table(Role.class);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void insertGoFixture() {
        assertThat(roles.insert(Role.of("user", "user")).id()).isEqualTo(1);
        assertThat(roles.insert(Role.of("admin", "administrator")).id()).isEqualTo(2);
        assertThat(roles.insert(Role.of("superadmin", "administrator")).id()).isEqualTo(3);
        assertThat(roles.insert(Role.of("smoot", "administrator")).id()).isEqualTo(4);
    }

    @Test
    void goFindCountAndRequired() {
        insertGoFixture();
        assertThat(roles.get(1)).isEqualTo(new Role(1, "user", "user", "", "", false, ""));
        assertThat(roles.findUnique("name", "superadmin").orElseThrow().id()).isEqualTo(3);
        assertThat(roles.findBy("description", "administrator"))
                .extracting(Role::id)
                .containsExactly(2L, 3L, 4L);
        assertThatThrownBy(() -> roles.findBy("notIndexed", "x"))
                .isInstanceOf(NotIndexedException.class)
                .hasMessageContaining("'notIndexed'");
        assertThat(roles.count("description", "administrator")).isEqualTo(3);
        assertThat(roles.count("id", 1)).isEqualTo(1);
        assertThat(roles.count("id", 10)).isZero();
        assertThatThrownBy(() -> roles.insert(Role.of("invalid", "")))
                .isInstanceOf(RequiredFieldException.class)
                .hasMessageContaining("'description'");
        assertThat(roles.count()).isEqualTo(4);
    }

    @Test
    void countByIdIsExactNotAPrefixMatch() {
        for (int i = 0; i < 12; i++) {
            roles.insert(Role.of("r" + i, "d"));
        }
        // Go e2db counted /Role/1 as a prefix: 1, 10, 11, 12
        assertThat(roles.count("id", 1)).isEqualTo(1);
        assertThat(roles.count()).isEqualTo(12);
        // ids come back in numeric order (Go: "10" before "2")
        assertThat(roles.all()).extracting(Role::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void goDeletes() {
        insertGoFixture();
        assertThat(roles.deleteBy("id", 20)).isZero();
        assertThat(roles.deleteBy("id", 3)).isEqualTo(1);
        assertThat(roles.deleteBy("description", "administrator")).isEqualTo(2);
        assertThat(roles.deleteBy("name", "smoot")).isZero();
        assertThat(roles.deleteBy("name", "user")).isEqualTo(1);
        assertThat(roles.deleteBy("name", "smootest")).isZero();
        assertThatThrownBy(() -> roles.deleteBy("notIndexed", "x")).isInstanceOf(NotIndexedException.class);
        assertThat(roles.count()).isZero();
        // no index entry is left behind
        assertThat(keys("/" + namespace + "/Role/u/")).isEmpty();
        assertThat(keys("/" + namespace + "/Role/i/")).isEmpty();
    }

    @Test
    void insertNeverOverwritesAnExistingId() {
        Role first = roles.insert(Role.of("a", "x"));
        Role clash = new Role(first.id(), "b", "y", "", "", false, "");
        assertThatThrownBy(() -> roles.insert(clash))
                .isInstanceOf(DuplicateIdException.class)
                .hasMessageContaining("use update() or upsert()");
        assertThat(roles.get(first.id())).isEqualTo(first);
        // Go e2db left a stale index entry for "y": nothing for it here
        assertThat(roles.findBy("description", "y")).isEmpty();
        assertThat(roles.findUnique("name", "b")).isEmpty();
    }

    @Test
    void uniqueValuesAreEnforced() {
        roles.insert(Role.of("a", "x"));
        Role b = roles.insert(Role.of("b", "x"));
        assertThatThrownBy(() -> roles.insert(Role.of("a", "z")))
                .isInstanceOf(UniqueConstraintException.class)
                .satisfies(
                        e -> assertThat(((UniqueConstraintException) e).field()).isEqualTo("name"));
        assertThatThrownBy(() -> roles.update(b.withName("a"))).isInstanceOf(UniqueConstraintException.class);
        assertThat(roles.get(b.id()).name()).isEqualTo("b");
        assertThat(roles.count()).isEqualTo(2);
    }

    @Test
    void updateMovesIndexEntries() {
        Role a = roles.insert(Role.of("a", "x"));
        roles.update(a.withDescription("y").withName("a2"));
        assertThat(roles.findBy("description", "x")).isEmpty();
        assertThat(roles.findBy("description", "y")).extracting(Role::name).containsExactly("a2");
        assertThat(roles.findUnique("name", "a")).isEmpty();
        assertThat(roles.findUnique("name", "a2")).isPresent();
        // the old unique value is free again
        roles.insert(Role.of("a", "z"));
        assertThatThrownBy(() -> roles.update(Role.of("ghost", "x").withName("ghost")))
                .isInstanceOf(NoSuchRowException.class);
        assertThatThrownBy(() -> roles.update(a.withDescription(""))).isInstanceOf(RequiredFieldException.class);
    }

    @Test
    void updateWithRevisionDetectsConcurrentChange() {
        Role a = roles.insert(Role.of("a", "x"));
        Versioned<Role> read = roles.findVersioned(a.id()).orElseThrow();
        roles.update(a.withDescription("changed by someone else"));
        assertThatThrownBy(() -> roles.update(read.value().withDescription("mine"), read.revision()))
                .isInstanceOf(OptimisticLockException.class)
                .satisfies(e -> assertThat(((OptimisticLockException) e).expectedRevision())
                        .isEqualTo(read.revision()));
        assertThat(roles.get(a.id()).description()).isEqualTo("changed by someone else");
        Versioned<Role> again = roles.findVersioned(a.id()).orElseThrow();
        roles.update(again.value().withDescription("mine"), again.revision());
        assertThat(roles.get(a.id()).description()).isEqualTo("mine");
    }

    @Test
    void upsertAndDelete() {
        Role a = roles.upsert(Role.of("a", "x"));
        assertThat(a.id()).isEqualTo(1);
        roles.upsert(a.withDescription("y"));
        assertThat(roles.get(1).description()).isEqualTo("y");
        Role explicit = roles.upsert(new Role(50, "fifty", "z", "", "", false, ""));
        assertThat(roles.get(50)).isEqualTo(explicit);
        assertThat(roles.delete(1)).isTrue();
        assertThat(roles.delete(1)).isFalse();
        assertThat(roles.find(1)).isEmpty();
        assertThatThrownBy(() -> roles.get(1)).isInstanceOf(NoSuchRowException.class);
        assertThat(roles.findBy("description", "y")).isEmpty();
    }

    @Test
    void autoIncrementSkipsExplicitIds() {
        roles.insert(new Role(2, "two", "x", "", "", false, ""));
        assertThat(roles.insert(Role.of("a", "x")).id()).isEqualTo(1);
        assertThat(roles.insert(Role.of("b", "x")).id()).isEqualTo(3);
        assertThat(roles.all()).extracting(Role::id).containsExactly(1L, 2L, 3L);
    }

    @Test
    void keyLayoutIsDocumentedAndPathSafe() {
        io.e2d.db.Table<Path> paths = db.table(Path.class);
        paths.insert(new Path("../etc/passwd", "x"));
        paths.insert(new Path("a/b", "x"));
        assertThat(paths.get("../etc/passwd").path()).isEqualTo("../etc/passwd");
        assertThat(paths.findBy("kind", "x")).extracting(Path::path).containsExactlyInAnyOrder("../etc/passwd", "a/b");
        assertThat(keys("/" + namespace + "/paths/"))
                .containsExactlyInAnyOrder(
                        "/" + namespace + "/paths/_schema",
                        "/" + namespace + "/paths/r/..%2Fetc%2Fpasswd",
                        "/" + namespace + "/paths/r/a%2Fb",
                        "/" + namespace + "/paths/i/kind/x/..%2Fetc%2Fpasswd",
                        "/" + namespace + "/paths/i/kind/x/a%2Fb");
        roles.insert(Role.of("admin", "administrator"));
        assertThat(keys("/" + namespace + "/Role/"))
                .containsExactlyInAnyOrder(
                        "/" + namespace + "/Role/_schema",
                        "/" + namespace + "/Role/_seq",
                        "/" + namespace + "/Role/r/P0000000000000000001",
                        "/" + namespace + "/Role/u/name/admin",
                        "/" + namespace + "/Role/i/description/administrator/P0000000000000000001");
    }

    @Table("paths")
    record Path(@Id String path, @Index String kind) {}

    @Table("Role")
    record RoleV2(@Id(autoIncrement = true) long id, @Unique String name, String description) {}

    @Test
    void schemaMismatchIsAClearErrorAndDropClearsIt() {
        roles.insert(Role.of("a", "x"));
        assertThatThrownBy(() -> db.table(RoleV2.class))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("table 'Role'")
                .hasMessageContaining("drop()");
        roles.drop();
        assertThat(keys("/" + namespace + "/Role/")).isEmpty();
        io.e2d.db.Table<RoleV2> v2 = db.table(RoleV2.class);
        assertThat(v2.insert(new RoleV2(0, "n", "d")).id()).isEqualTo(1);
    }

    @Test
    void deleteAllKeepsTheSchemaAndCounter() {
        insertGoFixture();
        roles.deleteAll();
        assertThat(roles.count()).isZero();
        assertThat(roles.findBy("description", "administrator")).isEmpty();
        assertThat(roles.insert(Role.of("again", "x")).id()).isEqualTo(5);
    }

    @Test
    void usingNeverClosesTheCallersClient() {
        E2db borrowed = E2db.using(ETCD.client());
        borrowed.close();
        borrowed.close();
        assertThat(keys("/" + namespace + "/")).isNotNull(); // the client still works
        assertThatThrownBy(() -> borrowed.table(Role.class)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void connectOwnsItsClientAndFailsClearlyWhenEtcdIsAbsent() {
        try (E2db own = E2db.connect(E2dbConfig.builder()
                .requestTimeout(SLOW)
                .endpoints(ETCD.endpoints())
                .namespace(namespace)
                .build())) {
            assertThat(own.table(Role.class).insert(Role.of("c", "x")).id()).isEqualTo(1);
        }
        assertThat(roles.get(1).name()).isEqualTo("c");
        assertThatThrownBy(() -> E2db.connect(E2dbConfig.builder()
                        .endpoints("http://127.0.0.1:1")
                        .connectTimeout(java.time.Duration.ofMillis(500))
                        .requestTimeout(java.time.Duration.ofMillis(500))
                        .build()))
                .isInstanceOf(E2dbException.class)
                .hasMessageContaining("cannot reach etcd");
    }

    private List<String> keys(String prefix) {
        try {
            List<KeyValue> kvs = ETCD.client()
                    .getKVClient()
                    .get(
                            ByteSequence.from(prefix, StandardCharsets.UTF_8),
                            GetOption.builder().isPrefix(true).build())
                    .get(5, TimeUnit.SECONDS)
                    .getKvs();
            return kvs.stream()
                    .map(kv -> kv.getKey().toString(StandardCharsets.UTF_8))
                    .toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
