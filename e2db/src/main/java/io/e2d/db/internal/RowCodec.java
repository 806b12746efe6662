package io.e2d.db.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.e2d.db.DecryptionException;
import io.e2d.db.E2dbException;
import io.e2d.db.InvalidModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns rows into stored bytes and back: a JSON object with one property per model field (named after the
 * Java field), each value written by Jackson. An {@code @Encrypted} field's value is the string
 * {@code "e2db:v1:" + base64(AES-GCM(json of the value))}; an {@code @Encrypted} table's row is
 * {@code "E2DB" 0x01 || AES-GCM(json)}. Thread-safe.
 *
 * @param <T> the model type
 */
public final class RowCodec<T> {
    /** The shared mapper: java.time support, ISO dates, tolerant of unknown nested properties. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final byte[] TABLE_MAGIC = {'E', '2', 'D', 'B', 1};
    private static final String FIELD_PREFIX = "e2db:v1:";

    private final Model<T> model;
    private final @Nullable Aead aead;
    private final List<ObjectReader> readers;

    public RowCodec(Model<T> model, @Nullable Aead aead) {
        this.model = model;
        this.aead = aead;
        if (model.needsKey() && aead == null) {
            throw new InvalidModelException(
                    model.type(),
                    null,
                    "the model is @Encrypted (or has @Encrypted fields) but no key is configured; set E2dbConfig.encryptionKey");
        }
        this.readers = model.fields().stream()
                .map(f -> {
                    JavaType jt = MAPPER.getTypeFactory().constructType(f.genericType());
                    return MAPPER.readerFor(jt);
                })
                .toList();
    }

    public Model<T> model() {
        return model;
    }

    public byte[] encode(T row, String id) {
        ObjectNode node = MAPPER.createObjectNode();
        for (FieldModel f : model.fields()) {
            Object value = f.get(row);
            JsonNode json = MAPPER.valueToTree(value);
            if (f.isEncrypted() && value != null) {
                byte[] sealed = aead().seal(write(json), fieldAad(f));
                json = TextNode.valueOf(FIELD_PREFIX + Base64.getEncoder().encodeToString(sealed));
            }
            node.set(f.name(), json);
        }
        byte[] plain = write(node);
        if (!model.isEncryptedTable()) {
            return plain;
        }
        byte[] sealed = aead().seal(plain, rowAad(id));
        byte[] out = Arrays.copyOf(TABLE_MAGIC, TABLE_MAGIC.length + sealed.length);
        System.arraycopy(sealed, 0, out, TABLE_MAGIC.length, sealed.length);
        return out;
    }

    public T decode(byte[] stored, String id) {
        byte[] plain = stored;
        if (model.isEncryptedTable()) {
            if (stored.length < TABLE_MAGIC.length
                    || !Arrays.equals(stored, 0, TABLE_MAGIC.length, TABLE_MAGIC, 0, TABLE_MAGIC.length)) {
                throw new DecryptionException("table '" + model.table() + "' row '" + id
                        + "' is not in the e2db encrypted format although the table is @Encrypted");
            }
            plain = aead().open(
                            Arrays.copyOfRange(stored, TABLE_MAGIC.length, stored.length),
                            rowAad(id),
                            "table '" + model.table() + "' row '" + id + "'");
        }
        try {
            JsonNode node = MAPPER.readTree(plain);
            if (node == null || !node.isObject()) {
                throw new E2dbException("table '" + model.table() + "' row '" + id + "' is not a JSON object");
            }
            List<FieldModel> fields = model.fields();
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < values.length; i++) {
                FieldModel f = fields.get(i);
                JsonNode json = node.get(f.name());
                if (json == null || json.isNull()) {
                    continue;
                }
                if (f.isEncrypted()) {
                    if (!json.isTextual() || !json.textValue().startsWith(FIELD_PREFIX)) {
                        throw new DecryptionException("table '" + model.table() + "' row '" + id + "' field '"
                                + f.name() + "' is not in the e2db encrypted format although it is @Encrypted");
                    }
                    byte[] sealed = Base64.getDecoder().decode(json.textValue().substring(FIELD_PREFIX.length()));
                    json = MAPPER.readTree(aead().open(
                                    sealed,
                                    fieldAad(f),
                                    "table '" + model.table() + "' row '" + id + "' field '" + f.name() + "'"));
                }
                values[i] = readers.get(i).readValue(json);
            }
            return model.instantiate(values);
        } catch (IOException e) {
            throw new E2dbException(
                    "table '" + model.table() + "' row '" + id + "' cannot be read as "
                            + model.type().getName() + ": " + e.getMessage(),
                    e);
        }
    }

    private Aead aead() {
        if (aead == null) {
            throw new IllegalStateException("no key");
        }
        return aead;
    }

    private String rowAad(String id) {
        return "e2db/" + model.table() + "/r/" + id;
    }

    private String fieldAad(FieldModel f) {
        return "e2db/" + model.table() + "/f/" + f.name();
    }

    static byte[] write(Object json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new E2dbException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The schema document of a model: what must not change between the writer and a reader of the table. */
    public static String schema(Model<?> model) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("table", model.table());
        node.put("format", 1);
        node.put("encrypted", model.isEncryptedTable());
        var fields = node.putArray("fields");
        for (FieldModel f : model.fields()) {
            ObjectNode fn = fields.addObject();
            fn.put("name", f.name());
            fn.put("type", f.genericType().getTypeName());
            if (f.isId()) {
                fn.put("id", true);
            }
            if (f.isAutoIncrement()) {
                fn.put("autoIncrement", true);
            }
            if (f.isIndex()) {
                fn.put("index", true);
            }
            if (f.isUnique()) {
                fn.put("unique", true);
            }
            if (f.isRequired()) {
                fn.put("required", true);
            }
            if (f.isEncrypted()) {
                fn.put("encrypted", true);
            }
        }
        return new String(write(node), StandardCharsets.UTF_8);
    }
}
