package io.e2d.db.internal;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One stored field of a model: its name, type, annotations and how to read it. Immutable. */
public final class FieldModel {
    private final String name;
    private final Class<?> type;
    private final Type genericType;
    private final boolean id;
    private final boolean autoIncrement;
    private final boolean index;
    private final boolean unique;
    private final boolean required;
    private final boolean encrypted;
    private final @Nullable KeyType keyType;
    private final @Nullable Field field;
    private final @Nullable Method accessor;

    FieldModel(
            String name,
            Class<?> type,
            Type genericType,
            boolean id,
            boolean autoIncrement,
            boolean index,
            boolean unique,
            boolean required,
            boolean encrypted,
            @Nullable Field field,
            @Nullable Method accessor) {
        this.name = name;
        this.type = type;
        this.genericType = genericType;
        this.id = id;
        this.autoIncrement = autoIncrement;
        this.index = index;
        this.unique = unique;
        this.required = required;
        this.encrypted = encrypted;
        this.keyType = KeyType.of(type).orElse(null);
        this.field = field;
        this.accessor = accessor;
    }

    public String name() {
        return name;
    }

    public Class<?> type() {
        return type;
    }

    public Type genericType() {
        return genericType;
    }

    public boolean isId() {
        return id;
    }

    public boolean isAutoIncrement() {
        return autoIncrement;
    }

    public boolean isIndex() {
        return index;
    }

    public boolean isUnique() {
        return unique;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isEncrypted() {
        return encrypted;
    }

    /** Whether lookups by this field read keys (id, unique or index) instead of scanning. */
    public boolean isKeyed() {
        return id || unique || index;
    }

    public Optional<KeyType> keyType() {
        return Optional.ofNullable(keyType);
    }

    /** Encodes a value of this field as a key component (the field must be keyed). */
    public String encode(Object value) {
        if (keyType == null) {
            throw new IllegalStateException("field " + name + " has no key encoding");
        }
        return keyType.encode(value);
    }

    /** Reads this field of a model instance. */
    public @Nullable Object get(Object instance) {
        try {
            return accessor != null ? accessor.invoke(instance) : field.get(instance);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read field " + name, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("accessor of " + name + " failed", e.getCause());
        }
    }

    void set(Object instance, @Nullable Object value) {
        try {
            field.set(instance, value == null && type.isPrimitive() ? Reflection.zero(type) : value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot write field " + name, e);
        }
    }

    /** Whether a value breaks {@code @Required}: null, or an empty string, collection, map or array. */
    public static boolean isMissing(@Nullable Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof CharSequence) {
            return ((CharSequence) value).length() == 0;
        }
        if (value instanceof Collection) {
            return ((Collection<?>) value).isEmpty();
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).isEmpty();
        }
        return value.getClass().isArray() && java.lang.reflect.Array.getLength(value) == 0;
    }

    @Override
    public String toString() {
        return name + ":" + genericType.getTypeName();
    }
}
