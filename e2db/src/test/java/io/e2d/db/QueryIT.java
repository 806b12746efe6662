package io.e2d.db;

import static io.e2d.db.Filter.and;
import static io.e2d.db.Filter.eq;
import static io.e2d.db.Filter.ge;
import static io.e2d.db.Filter.gt;
import static io.e2d.db.Filter.in;
import static io.e2d.db.Filter.le;
import static io.e2d.db.Filter.lt;
import static io.e2d.db.Filter.ne;
import static io.e2d.db.Filter.not;
import static io.e2d.db.Filter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Unique;
import io.e2d.testing.EtcdExtension;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Queries against a real etcd: filters, order, window, index ranges, paging. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QueryIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    /** Bound of etcd requests and waits: generous, CI machines can be heavily loaded. */
    private static final java.time.Duration SLOW = java.time.Duration.ofSeconds(30);

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    enum City {
        OSLO,
        LIMA,
        ROME
    }

    record Person(
            @Id(autoIncrement = true) long id,
            @Unique String email,
            @Index int age,
            @Index City city,
            String nickname,
            @Index Instant joined,
            @Unique Integer badge) {}

    private E2db db;
    private Table<Person> people;
    private Table<Role> roles;

    @BeforeEach
    void open() {
        // a small page size, so that every scan spans several etcd requests
        db = E2db.using(
                ETCD.client(),
                E2dbConfig.builder()
                        .requestTimeout(SLOW)
                        .namespace("query" + NAMESPACES.incrementAndGet())
                        .pageSize(3)
                        .build());
        people = db.table(Person.class);
        roles = db.table(Role.class);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String[] names = {"ann", "bob", "cyd", "dan", "eve", "fay", "gus", "hal", "ivy", "jon", "kim", "lou"};
        for (int i = 0; i < names.length; i++) {
            people.insert(new Person(
                    0,
                    names[i] + "@x",
                    15 + i * 5,
                    City.values()[i % 3],
                    i % 2 == 0 ? names[i].toUpperCase() : null,
                    t0.plusSeconds(3600L * i),
                    100 - i));
        }
        // ages 15,20,...,70; ids 1..12; cities OSLO,LIMA,ROME repeating; badges 100..89
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<Long> ids(List<Person> ps) {
        return ps.stream().map(Person::id).toList();
    }

    @Test
    void goFilterOrderAndReverse() {
        roles.insert(Role.of("user", "user"));
        roles.insert(Role.of("admin", "administrator"));
        roles.insert(Role.of("superadmin", "administrator"));
        roles.insert(Role.of("smoot", "administrator"));
        List<Role> smoot = roles.query()
                .filter(eq("description", "administrator"))
                .filter(eq("name", "smoot"))
                .list();
        assertThat(smoot).extracting(Role::id).containsExactly(4L);
        // Go appended to the slice and returned 4,4,3,3,2,2; here a query returns each row once
        assertThat(roles.query()
                        .filter(eq("description", "administrator"))
                        .orderBy("id")
                        .reverse()
                        .list())
                .extracting(Role::id)
                .containsExactly(4L, 3L, 2L);
        // Go applied several matchers as an OR with duplicates; and() is an AND
        assertThat(roles.query()
                        .filter(and(eq("description", "administrator"), eq("name", "admin")))
                        .list())
                .extracting(Role::id)
                .containsExactly(2L);
    }

    @Test
    void comparisonFilters() {
        assertThat(ids(people.query().filter(eq("age", 40)).list())).containsExactly(6L);
        assertThat(ids(people.query().filter(ne("city", City.OSLO)).list()))
                .containsExactly(2L, 3L, 5L, 6L, 8L, 9L, 11L, 12L);
        assertThat(ids(people.query().filter(lt("age", 30)).list())).containsExactly(1L, 2L, 3L);
        assertThat(ids(people.query().filter(le("age", 30)).list())).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ids(people.query().filter(gt("age", 60)).list())).containsExactly(11L, 12L);
        assertThat(ids(people.query().filter(ge("age", 60)).list())).containsExactly(10L, 11L, 12L);
        assertThat(ids(people.query().filter(and(ge("age", 30), lt("age", 45))).list()))
                .containsExactly(4L, 5L, 6L);
        assertThat(ids(people.query()
                        .filter(in("email", "bob@x", "kim@x", "nobody@x"))
                        .list()))
                .containsExactly(2L, 11L);
        assertThat(ids(people.query().filter(in("city", "ROME")).list())).containsExactly(3L, 6L, 9L, 12L);
        assertThat(ids(people.query()
                        .filter(or(eq("age", 15), eq("nickname", "LOU"), eq("id", 7)))
                        .list()))
                .containsExactly(1L, 7L);
        assertThat(ids(people.query()
                        .filter(not(or(lt("age", 60), eq("city", City.OSLO))))
                        .list()))
                .containsExactly(11L, 12L);
        // a null field matches eq(null) and never a comparison
        assertThat(ids(people.query().filter(eq("nickname", null)).list())).containsExactly(2L, 4L, 6L, 8L, 10L, 12L);
        assertThat(ids(people.query().filter(gt("nickname", "A")).list())).containsExactly(1L, 3L, 5L, 7L, 9L, 11L);
    }

    @Test
    void rangesOnIdsIndexesAndUniquesUseKeyOrder() {
        assertThat(ids(people.query().filter(gt("id", 9)).list())).containsExactly(10L, 11L, 12L);
        assertThat(ids(people.query().filter(and(ge("id", 2), le("id", 4))).list()))
                .containsExactly(2L, 3L, 4L);
        assertThat(ids(people.query()
                        .filter(and(gt("badge", 90), lt("badge", 94)))
                        .list()))
                .containsExactlyInAnyOrder(8L, 9L, 10L);
        assertThat(ids(people.query()
                        .filter(ge("joined", Instant.parse("2026-01-01T09:00:00Z")))
                        .list()))
                .containsExactly(10L, 11L, 12L);
        assertThat(ids(people.query()
                        .filter(and(gt("age", 50), eq("city", City.LIMA)))
                        .list()))
                .containsExactly(11L);
        assertThat(people.query().filter(and(gt("age", 50), lt("age", 20))).list())
                .isEmpty();
        assertThat(people.query().filter(gt("age", 50)).count()).isEqualTo(4);
    }

    @Test
    void orderSkipAndLimitAllWork() {
        // numeric order (Go compared strings: "100" < "20")
        assertThat(ids(people.query().orderBy("badge").limit(3).list())).containsExactly(12L, 11L, 10L);
        assertThat(ids(people.query().orderBy("age").reverse().skip(2).limit(3).list()))
                .containsExactly(10L, 9L, 8L);
        assertThat(ids(people.query().skip(10).list())).containsExactly(11L, 12L);
        assertThat(ids(people.query().reverse().limit(2).list())).containsExactly(12L, 11L);
        assertThat(ids(people.query()
                        .filter(eq("city", City.OSLO))
                        .skip(1)
                        .limit(2)
                        .list()))
                .containsExactly(4L, 7L);
        assertThat(ids(people.query().orderBy("nickname").limit(2).list()))
                .hasSize(2)
                .allMatch(id -> id % 2 == 0);
        assertThat(people.query().limit(5).count()).isEqualTo(5);
        assertThat(people.query().skip(10).count()).isEqualTo(2);
        assertThat(people.query().filter(eq("city", City.ROME)).first().map(Person::id))
                .contains(3L);
        assertThat(people.query().limit(0).list()).isEmpty();
    }

    @Test
    void scansAreExactAcrossPages() {
        assertThat(people.count()).isEqualTo(12);
        assertThat(ids(people.all())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(people.findBy("city", City.LIMA))
                .extracting(Person::email)
                .containsExactly("bob@x", "eve@x", "hal@x", "kim@x");
        assertThat(people.count("city", "LIMA")).isEqualTo(4);
        assertThat(people.findUnique("badge", 95).map(Person::email)).contains("fay@x");
        assertThat(people.deleteBy("city", City.LIMA)).isEqualTo(4);
        assertThat(people.count()).isEqualTo(8);
        assertThat(people.findBy("city", City.LIMA)).isEmpty();
    }

    @Test
    void invalidQueriesSayWhatIsWrong() {
        assertThatThrownBy(() -> people.query().filter(eq("colour", "red")).list())
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("no field 'colour'")
                .hasMessageContaining("email");
        assertThatThrownBy(() -> people.query().filter(eq("age", "old")).list())
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("'age' is int, got String 'old'");
        assertThatThrownBy(() -> people.query().orderBy("nope")).isInstanceOf(InvalidQueryException.class);
        assertThatThrownBy(() -> people.findUnique("age", 20)).isInstanceOf(NotIndexedException.class);
    }
}
