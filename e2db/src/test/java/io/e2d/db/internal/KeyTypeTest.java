package io.e2d.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyTypeTest {

    @Test
    void integralKeysSortNumerically() {
        assertSortsLike(
                List.of(Long.MIN_VALUE, -1000L, -2L, -1L, 0L, 1L, 2L, 9L, 10L, 100L, Long.MAX_VALUE),
                KeyType.INTEGRAL::encode);
        assertThat(KeyType.INTEGRAL.encode(42)).isEqualTo("P0000000000000000042");
        assertThat(KeyType.INTEGRAL.encode(42L)).isEqualTo(KeyType.INTEGRAL.encode((short) 42));
    }

    @Test
    void floatingKeysSortNumerically() {
        assertSortsLike(
                List.of(
                        Double.NEGATIVE_INFINITY,
                        -1e300,
                        -2.5,
                        -1.0,
                        -1e-300,
                        0.0,
                        1e-300,
                        0.5,
                        1.0,
                        2.0,
                        1e300,
                        Double.POSITIVE_INFINITY),
                KeyType.FLOATING::encode);
        assertThat(KeyType.FLOATING.encode(-0.0)).isEqualTo(KeyType.FLOATING.encode(0.0));
    }

    @Test
    void instantsAndDatesSortChronologically() {
        assertSortsLike(
                List.of(
                        Instant.parse("1960-01-01T00:00:00Z"),
                        Instant.EPOCH,
                        Instant.ofEpochSecond(0, 1),
                        Instant.parse("2026-11-24T04:00:00.5Z"),
                        Instant.parse("2026-11-24T04:00:01Z")),
                KeyType.INSTANT::encode);
        assertSortsLike(
                List.of(LocalDate.of(999, 1, 1), LocalDate.of(2020, 2, 29), LocalDate.of(2020, 10, 1)),
                KeyType.LOCAL_DATE::encode);
    }

    @Test
    void stringsNeverContainSlashesAndStayReadable() {
        assertThat(KeyType.STRING.encode("administrator")).isEqualTo("administrator");
        assertThat(KeyType.STRING.encode("a/b")).isEqualTo("a%2Fb");
        assertThat(KeyType.STRING.encode("../x%")).isEqualTo("..%2Fx%25");
        assertThat(KeyType.STRING.encode("tab\there")).isEqualTo("tab%09here");
        assertThat(KeyType.STRING.encode("é/ü")).isEqualTo("é%2Fü");
        // distinct values stay distinct
        assertThat(KeyType.STRING.encode("a%2Fb")).isNotEqualTo(KeyType.STRING.encode("a/b"));
    }

    @Test
    void coercesCallerValuesToTheFieldType() {
        assertThat(KeyType.coerce(1, long.class)).isEqualTo(1L);
        assertThat(KeyType.coerce(1L, int.class)).isEqualTo(1);
        assertThat(KeyType.coerce(1L << 40, int.class)).isNull();
        assertThat(KeyType.coerce("SECONDS", TimeUnit.class)).isEqualTo(TimeUnit.SECONDS);
        assertThat(KeyType.coerce("nope", TimeUnit.class)).isNull();
        assertThat(KeyType.coerce("x", long.class)).isNull();
        assertThat(KeyType.coerce(2, double.class)).isEqualTo(2.0);
    }

    private static <V> void assertSortsLike(List<V> ascending, Function<V, String> encode) {
        List<String> encoded = new ArrayList<>();
        ascending.forEach(v -> encoded.add(encode.apply(v)));
        List<String> shuffled = new ArrayList<>(encoded);
        Collections.shuffle(shuffled);
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(encoded);
        assertThat(encoded).allSatisfy(e -> assertThat(e).doesNotContain("/"));
    }
}
