package io.e2d.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

@Timeout(10)
class GoDurationsTest {

    @ParameterizedTest
    @CsvSource({
        "30s, PT30S",
        "5m, PT5M",
        "1h30m, PT1H30M",
        "250ms, PT0.25S",
        "1.5h, PT1H30M",
        ".5s, PT0.5S",
        "5.s, PT5S",
        "0, PT0S",
        "+1m, PT1M",
        "-2s, PT-2S",
        "1h2m3s4ms5us6ns, PT1H2M3.004005006S",
        "7µs, PT0.000007S",
        "100ns, PT0.0000001S",
        "1m0s, PT1M",
        "2562047h47m16.854775807s, PT2562047H47M16.854775807S"
    })
    void parsesGoNotation(String text, String expected) {
        assertThat(GoDurations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", " ", "abc", "5", "10 s", "1x", "s", "1.2.3s", ".s", "-", "1h-2m", "5M", "3d", "2562048h"})
    void refusesWhatGoRefuses(String text) {
        assertThatThrownBy(() -> GoDurations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid duration \"" + text + "\"")
                .hasMessageContaining("e.g. 30s, 5m, 1h30m");
    }

    @Test
    void namesTheProblem() {
        assertThatThrownBy(() -> GoDurations.parse("5")).hasMessageContaining("the number 5 has no unit");
        assertThatThrownBy(() -> GoDurations.parse("3d")).hasMessageContaining("unknown unit \"d\"");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0s",
        "PT30S, 30s",
        "PT5M, 5m0s",
        "PT1H30M, 1h30m0s",
        "PT0.25S, 250ms",
        "PT1.5S, 1.5s",
        "PT0.0000015S, 1.5µs",
        "PT-1M, -1m0s"
    })
    void formatsAsGoPrints(String duration, String expected) {
        assertThat(GoDurations.format(Duration.parse(duration))).isEqualTo(expected);
        assertThat(GoDurations.parse(expected)).isEqualTo(Duration.parse(duration));
    }

    @Test
    void converterRefusesNegativeAndBadValues() {
        Converters.GoDuration converter = new Converters.GoDuration();
        assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> converter.convert("-1s"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> converter.convert("soon"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("invalid duration \"soon\"");
    }
}
