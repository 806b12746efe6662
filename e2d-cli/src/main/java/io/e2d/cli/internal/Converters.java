package io.e2d.cli.internal;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the value notations e2d shares with Go e2d. */
public final class Converters {

    private Converters() {}

    /** Go durations ({@code 30s}, {@code 5m}, {@code 1h30m}); negative durations are refused. */
    public static final class GoDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = GoDurations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            if (d.isNegative()) {
                throw new TypeConversionException(
                        "invalid duration \"" + value + "\": it is negative; give a positive duration such as 30s");
            }
            return d;
        }
    }

    /** Booleans as Go's {@code strconv.ParseBool} reads them: 1, t, true, 0, f, false (any case). */
    public static final class GoBoolean implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "1", "t", "true":
                    return Boolean.TRUE;
                case "0", "f", "false", "":
                    return Boolean.FALSE;
                default:
                    throw new TypeConversionException(
                            "invalid boolean \"" + value + "\": expected true or false (or 1, 0, t, f)");
            }
        }
    }

    /** {@code host[:port]} addresses. */
    public static final class Address implements ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
