package io.e2d.cli.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Durations in Go's notation ({@code time.ParseDuration}): {@code 30s}, {@code 5m}, {@code 1h30m},
 * {@code 250ms}, {@code 1.5h}, {@code 0}. Units: {@code ns}, {@code us} (or {@code µs}), {@code ms},
 * {@code s}, {@code m}, {@code h}. Stateless and thread-safe.
 */
public final class GoDurations {

    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L,
            "\u03bcs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDurations() {}

    /**
     * Parses a Go duration string.
     *
     * @throws IllegalArgumentException when {@code text} is not a Go duration; the message says what was
     *     expected
     */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        boolean negative = false;
        int i = 0;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        if (i == s.length()) {
            throw invalid(text, "there is no number");
        }
        BigDecimal totalNanos = BigDecimal.ZERO;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(numberStart, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text, "no number at position " + (numberStart + 1));
            }
            int unitStart = i;
            while (i < s.length() && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw invalid(text, "the number " + number + " has no unit");
            }
            Long nanos = UNIT_NANOS.get(unit);
            if (nanos == null) {
                throw invalid(text, "unknown unit \"" + unit + "\"");
            }
            String normalized = number.startsWith(".") ? "0" + number : number;
            if (normalized.endsWith(".")) {
                normalized = normalized + "0";
            }
            totalNanos = totalNanos.add(new BigDecimal(normalized).multiply(BigDecimal.valueOf(nanos)));
        }
        BigInteger whole = totalNanos.toBigInteger();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, "it is too large");
        }
        long value = whole.longValueExact();
        return Duration.ofNanos(negative ? -value : value);
    }

    /**
     * Formats a duration as Go prints it: {@code 1h30m0s}, {@code 5m0s}, {@code 250ms}, {@code 0s}.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        Duration d = duration;
        if (d.isNegative()) {
            out.append('-');
            d = d.negated();
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = d.toNanos();
            if (nanos < 1_000L) {
                return out.append(nanos).append("ns").toString();
            } else if (nanos < 1_000_000L) {
                return out.append(decimal(nanos, 1_000L)).append("µs").toString();
            }
            return out.append(decimal(nanos, 1_000_000L)).append("ms").toString();
        }
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        long secondsNanos = d.toSecondsPart() * 1_000_000_000L + d.toNanosPart();
        return out.append(decimal(secondsNanos, 1_000_000_000L)).append('s').toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String decimal(long value, long unit) {
        return BigDecimal.valueOf(value)
                .divide(BigDecimal.valueOf(unit))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid duration \"" + text + "\": " + why
                + "; expected a number and a unit (ns, us, ms, s, m, h), e.g. 30s, 5m, 1h30m or 250ms");
    }
}
