package io.e2d.db.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How a value of an id or indexed field becomes one component of an etcd key. Encodings never contain
 * {@code /}, so a component can be followed by a separator and used as a prefix. Those marked
 * {@link #isOrdered() ordered} sort bytewise in the order of their values, so a range of values is a range of
 * keys.
 *
 * <ul>
 *   <li>integral types: {@code P} + 19 decimal digits for {@code v >= 0}, {@code N} + 19 digits of
 *       {@code v - Long.MIN_VALUE} for negatives ({@code 42 -> P0000000000000000042});
 *   <li>{@code double}/{@code float}: 16 hex digits of the IEEE bits with the sign flipped (negatives
 *       complemented);
 *   <li>{@code Instant}: the integral encoding of the epoch second, {@code .}, 9 digits of nanoseconds;
 *   <li>{@code LocalDate}: ISO {@code yyyy-MM-dd} (years 0000-9999 sort correctly);
 *   <li>{@code boolean}: {@code false} / {@code true};
 *   <li>strings, chars, enums (by name), UUIDs: UTF-8 with {@code %}, {@code /} and control characters
 *       percent-escaped ({@code a/b -> a%2Fb}); equality only (escaping changes the order of those characters).
 * </ul>
 */
public enum KeyType {
    STRING(false),
    INTEGRAL(true),
    FLOATING(true),
    INSTANT(true),
    LOCAL_DATE(true),
    BOOLEAN(true),
    ENUM(false),
    UUID_TYPE(false),
    CHAR(false);

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final boolean ordered;

    KeyType(boolean ordered) {
        this.ordered = ordered;
    }

    /** Whether encoded keys sort in value order, so range filters can read a key range of the index. */
    public boolean isOrdered() {
        return ordered;
    }

    /** The key type of a Java type, or empty when values of it cannot be key components. */
    public static Optional<KeyType> of(Class<?> type) {
        Class<?> t = Reflection.boxed(type);
        KeyType k = null;
        if (t == String.class) {
            k = STRING;
        } else if (t == Long.class || t == Integer.class || t == Short.class || t == Byte.class) {
            k = INTEGRAL;
        } else if (t == Double.class || t == Float.class) {
            k = FLOATING;
        } else if (t == Instant.class) {
            k = INSTANT;
        } else if (t == LocalDate.class) {
            k = LOCAL_DATE;
        } else if (t == Boolean.class) {
            k = BOOLEAN;
        } else if (t.isEnum()) {
            k = ENUM;
        } else if (t == UUID.class) {
            k = UUID_TYPE;
        } else if (t == Character.class) {
            k = CHAR;
        }
        return Optional.ofNullable(k);
    }

    /** Encodes a (non-null, already coerced) value. */
    public String encode(Object value) {
        switch (this) {
            case INTEGRAL:
                return integral(((Number) value).longValue());
            case FLOATING: {
                double d = ((Number) value).doubleValue();
                if (d == 0.0d) {
                    d = 0.0d; // -0.0 and 0.0 are equal values: one key
                }
                long bits = Double.doubleToLongBits(d);
                bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
                char[] hex = new char[16];
                for (int i = 15; i >= 0; i--, bits >>>= 4) {
                    hex[i] = Character.forDigit((int) (bits & 0xf), 16);
                }
                return new String(hex);
            }
            case INSTANT: {
                Instant i = (Instant) value;
                return integral(i.getEpochSecond()) + "." + digits(i.getNano(), 9);
            }
            case LOCAL_DATE:
                return value.toString();
            case BOOLEAN:
                return value.toString();
            case ENUM:
                return escape(((Enum<?>) value).name());
            default:
                return escape(value.toString());
        }
    }

    private static String integral(long v) {
        // v - Long.MIN_VALUE is in [0, 2^63) for every negative v
        return (v >= 0 ? "P" : "N") + digits(v >= 0 ? v : v - Long.MIN_VALUE, 19);
    }

    /** {@code n >= 0} in decimal, zero-padded to {@code width} digits. */
    private static String digits(long n, int width) {
        char[] c = new char[width];
        for (int i = width - 1; i >= 0; i--, n /= 10) {
            c[i] = (char) ('0' + n % 10);
        }
        return new String(c);
    }

    /** Percent-escapes {@code %}, {@code /} and control characters (all ASCII, so chars suffice). */
    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '/' || c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * Converts a value given by a caller (a lookup or filter operand) to the field's boxed type, so that
     * {@code 1} finds a {@code long} id and {@code "ADMIN"} an enum constant.
     *
     * @return the coerced value, or null when it cannot be converted
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static @Nullable Object coerce(Object value, Class<?> fieldType) {
        Class<?> t = Reflection.boxed(fieldType);
        if (t.isInstance(value)) {
            return value;
        }
        if (value instanceof Number && !(value instanceof BigDecimal && t != Double.class && t != Float.class)) {
            Number n = (Number) value;
            boolean integralInput = value instanceof Long
                    || value instanceof Integer
                    || value instanceof Short
                    || value instanceof Byte
                    || value instanceof BigInteger;
            if (t == Long.class && integralInput) {
                return n.longValue();
            }
            if (t == Integer.class && integralInput && n.longValue() == n.intValue()) {
                return n.intValue();
            }
            if (t == Short.class && integralInput && n.longValue() == n.shortValue()) {
                return n.shortValue();
            }
            if (t == Byte.class && integralInput && n.longValue() == n.byteValue()) {
                return n.byteValue();
            }
            if (t == Double.class) {
                return n.doubleValue();
            }
            if (t == Float.class) {
                return n.floatValue();
            }
            return null;
        }
        if (value instanceof String && t.isEnum()) {
            try {
                return Enum.valueOf((Class) t, (String) value);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (value instanceof String && t == UUID.class) {
            try {
                return UUID.fromString((String) value);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
