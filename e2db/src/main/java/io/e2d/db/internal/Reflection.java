package io.e2d.db.internal;

import java.util.Map;

/** Small reflection helpers. */
final class Reflection {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            boolean.class, Boolean.class,
            byte.class, Byte.class,
            short.class, Short.class,
            char.class, Character.class,
            int.class, Integer.class,
            long.class, Long.class,
            float.class, Float.class,
            double.class, Double.class);
    private static final Map<Class<?>, Object> ZEROS = Map.of(
            boolean.class,
            false,
            byte.class,
            (byte) 0,
            short.class,
            (short) 0,
            char.class,
            (char) 0,
            int.class,
            0,
            long.class,
            0L,
            float.class,
            0f,
            double.class,
            0d);

    private Reflection() {}

    static Class<?> boxed(Class<?> type) {
        return type.isPrimitive() ? BOXES.get(type) : type;
    }

    /** The default value of a primitive type, null for reference types. */
    static Object zero(Class<?> type) {
        return ZEROS.get(type);
    }
}
