package io.e2d.db.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The parsed, immutable description of a model class: table name, fields in declaration order, the id,
 * and how to build instances. Obtained once per class through {@link Models#of(Class)}.
 *
 * @param <T> the model type
 */
public final class Model<T> {
    private final Class<T> type;
    private final String table;
    private final boolean encryptedTable;
    private final List<FieldModel> fields;
    private final Map<String, FieldModel> byName;
    private final FieldModel id;
    private final List<FieldModel> uniques;
    private final List<FieldModel> indexes;
    private final Constructor<T> constructor;
    private final boolean record;

    Model(Class<T> type, String table, boolean encryptedTable, List<FieldModel> fields, Constructor<T> constructor) {
        this.type = type;
        this.table = table;
        this.encryptedTable = encryptedTable;
        this.fields = List.copyOf(fields);
        Map<String, FieldModel> map = new LinkedHashMap<>();
        for (FieldModel f : fields) {
            map.put(f.name(), f);
        }
        this.byName = Map.copyOf(map);
        this.id = fields.stream().filter(FieldModel::isId).findFirst().orElseThrow();
        this.uniques = fields.stream().filter(FieldModel::isUnique).toList();
        this.indexes = fields.stream().filter(FieldModel::isIndex).toList();
        this.constructor = constructor;
        this.record = type.isRecord();
    }

    public Class<T> type() {
        return type;
    }

    public String table() {
        return table;
    }

    public boolean isEncryptedTable() {
        return encryptedTable;
    }

    /** Whether the table or any field is encrypted (a key is needed). */
    public boolean needsKey() {
        return encryptedTable || fields.stream().anyMatch(FieldModel::isEncrypted);
    }

    public List<FieldModel> fields() {
        return fields;
    }

    public Optional<FieldModel> field(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public FieldModel id() {
        return id;
    }

    public List<FieldModel> uniques() {
        return uniques;
    }

    public List<FieldModel> indexes() {
        return indexes;
    }

    /** Builds an instance from values in {@link #fields()} order. */
    public T instantiate(@Nullable Object[] values) {
        try {
            if (record) {
                Object[] args = values.clone();
                for (int i = 0; i < args.length; i++) {
                    Class<?> t = fields.get(i).type();
                    if (args[i] == null && t.isPrimitive()) {
                        args[i] = Reflection.zero(t);
                    }
                }
                return constructor.newInstance(args);
            }
            T instance = constructor.newInstance();
            for (int i = 0; i < values.length; i++) {
                fields.get(i).set(instance, values[i]);
            }
            return instance;
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot instantiate " + type.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    "constructor of " + type.getName() + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** A copy of {@code instance} whose id is {@code newId}; the argument is left unchanged. */
    public T withId(T instance, Object newId) {
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            FieldModel f = fields.get(i);
            values[i] = f.isId() ? newId : f.get(instance);
        }
        return instantiate(values);
    }
}
