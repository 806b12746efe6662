package io.e2d.db.internal;

import io.e2d.db.InvalidModelException;
import io.e2d.db.annotation.Encrypted;
import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Required;
import io.e2d.db.annotation.Table;
import io.e2d.db.annotation.Unique;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses model classes once and caches the result (or the failure) per class in a {@link ClassValue}. */
public final class Models {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9.\\-][A-Za-z0-9_.\\-]{0,127}");

    private static final ClassValue<Object> CACHE = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return parse(type);
            } catch (InvalidModelException e) {
                return e;
            }
        }
    };

    private Models() {}

    /**
     * The model of a class, parsed on first use.
     *
     * @throws InvalidModelException naming the class, the field and the fix
     */
    @SuppressWarnings("unchecked")
    public static <T> Model<T> of(Class<T> type) {
        Object parsed = CACHE.get(type);
        if (parsed instanceof InvalidModelException) {
            throw (InvalidModelException) parsed;
        }
        return (Model<T>) parsed;
    }

    private static <T> Model<T> parse(Class<T> type) {
        if (type.isInterface()
                || type.isPrimitive()
                || type.isArray()
                || type.isEnum()
                || Modifier.isAbstract(type.getModifiers())) {
            throw new InvalidModelException(type, null, "a model must be a record or a concrete class");
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            throw new InvalidModelException(type, null, "an inner class needs an outer instance; declare it static");
        }
        Table tableAnnotation = type.getAnnotation(Table.class);
        String table = tableAnnotation == null || tableAnnotation.value().isEmpty()
                ? type.getSimpleName()
                : tableAnnotation.value();
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new InvalidModelException(
                    type,
                    null,
                    "table name '" + table
                            + "' must be 1-128 letters, digits, '_', '.', '-', not starting with '_'; set @Table(\"name\")");
        }
        boolean encryptedTable = type.isAnnotationPresent(Encrypted.class);
        List<FieldModel> fields = new ArrayList<>();
        Constructor<T> constructor;
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent rc = components[i];
                types[i] = rc.getType();
                Method accessor = rc.getAccessor();
                accessor.setAccessible(true);
                fields.add(field(type, rc.getName(), rc.getType(), rc.getGenericType(), rc, null, accessor));
            }
            try {
                constructor = type.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new InvalidModelException(type, null, "the record has no canonical constructor");
            }
        } else {
            Deque<Class<?>> hierarchy = new ArrayDeque<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                hierarchy.push(c);
            }
            Set<String> names = new HashSet<>();
            for (Class<?> c : hierarchy) {
                for (Field f : c.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) {
                        continue;
                    }
                    if (!names.add(f.getName())) {
                        throw new InvalidModelException(
                                type, f.getName(), "the field hides a field of a superclass; rename one");
                    }
                    f.setAccessible(true);
                    fields.add(field(type, f.getName(), f.getType(), f.getGenericType(), f, f, null));
                }
            }
            try {
                constructor = type.getDeclaredConstructor();
            } catch (NoSuchMethodException e) {
                throw new InvalidModelException(
                        type,
                        null,
                        "a model class needs a no-argument constructor (it may be private); add one or make it a record");
            }
        }
        constructor.setAccessible(true);
        List<FieldModel> ids = fields.stream().filter(FieldModel::isId).toList();
        if (ids.isEmpty()) {
            throw new InvalidModelException(type, null, "no primary key; annotate one field with @Id");
        }
        if (ids.size() > 1) {
            throw new InvalidModelException(
                    type,
                    ids.get(1).name(),
                    "only one field may carry @Id, found "
                            + ids.stream().map(FieldModel::name).toList());
        }
        return new Model<>(type, table, encryptedTable, fields, constructor);
    }

    private static FieldModel field(
            Class<?> model,
            String name,
            Class<?> type,
            java.lang.reflect.Type genericType,
            AnnotatedElement element,
            @Nullable Field field,
            @Nullable Method accessor) {
        Id id = element.getAnnotation(Id.class);
        boolean index = element.isAnnotationPresent(Index.class);
        boolean unique = element.isAnnotationPresent(Unique.class);
        boolean required = element.isAnnotationPresent(Required.class);
        boolean encrypted = element.isAnnotationPresent(Encrypted.class);
        boolean keyable = KeyType.of(type).isPresent();
        String keyTypes =
                "String, long, int, short, byte, double, float, boolean, char, an enum, UUID, Instant or LocalDate";
        if (id != null) {
            if (!keyable) {
                throw new InvalidModelException(
                        model, name, "an @Id of type " + type.getName() + " cannot be a key; use " + keyTypes);
            }
            if (id.autoIncrement() && KeyType.of(type).orElseThrow() != KeyType.INTEGRAL) {
                throw new InvalidModelException(
                        model,
                        name,
                        "@Id(autoIncrement = true) needs an integral type (long, int, "
                                + "short, byte or their boxes), found " + type.getName()
                                + "; remove autoIncrement or change the type");
            }
            if (index || unique) {
                throw new InvalidModelException(
                        model, name, "an @Id is already unique and indexed; remove @Index/@Unique");
            }
        }
        if (index && unique) {
            throw new InvalidModelException(model, name, "@Unique already indexes the field; remove @Index");
        }
        if ((index || unique) && !keyable) {
            throw new InvalidModelException(
                    model,
                    name,
                    "values of type " + type.getName() + " cannot be index keys; use " + keyTypes
                            + ", or remove @Index/@Unique");
        }
        if (encrypted && (id != null || index || unique)) {
            throw new InvalidModelException(
                    model,
                    name,
                    "an @Encrypted field cannot be the @Id, @Index or @Unique: "
                            + "index keys are stored in plaintext; remove @Encrypted or the index");
        }
        return new FieldModel(
                name,
                type,
                genericType,
                id != null,
                id != null && id.autoIncrement(),
                index,
                unique,
                required,
                encrypted,
                field,
                accessor);
    }
}
