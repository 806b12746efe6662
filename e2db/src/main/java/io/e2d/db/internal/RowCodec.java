package io.e2d.db.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.e2d.db.DecryptionException;
import io.e2d.db.E2dbException;
import io.e2d.db.InvalidModelException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
    private final List<ObjectWriter> writers;
    private final Map<String, Integer> positions = new HashMap<>();

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
        this.writers = model.fields().stream()
                .map(f -> MAPPER.writerFor(MAPPER.getTypeFactory().constructType(f.genericType())))
                .toList();
        for (int i = 0; i < model.fields().size(); i++) {
            positions.put(model.fields().get(i).name(), i);
        }
    }

    public Model<T> model() {
        return model;
    }

    public byte[] encode(T row, String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            List<FieldModel> fields = model.fields();
            for (int i = 0; i < fields.size(); i++) {
                FieldModel f = fields.get(i);
                Object value = f.get(row);
                g.writeFieldName(f.name());
                if (value == null) {
                    g.writeNull();
                } else if (f.isEncrypted()) {
                    byte[] sealed = aead().seal(writers.get(i).writeValueAsBytes(value), fieldAad(f));
                    g.writeString(FIELD_PREFIX + Base64.getEncoder().encodeToString(sealed));
                } else {
                    writers.get(i).writeValue(g, value);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new E2dbException(
                    "table '" + model.table() + "' row '" + id + "' cannot be written as JSON: " + e.getMessage(), e);
        }
        byte[] plain = out.toByteArray();
        if (!model.isEncryptedTable()) {
            return plain;
        }
        byte[] sealed = aead().seal(plain, rowAad(id));
        byte[] sealedRow = Arrays.copyOf(TABLE_MAGIC, TABLE_MAGIC.length + sealed.length);
        System.arraycopy(sealed, 0, sealedRow, TABLE_MAGIC.length, sealed.length);
        return sealedRow;
    }

    public T decode(byte[] stored, String id) {
        return decode(stored, () -> id);
    }

    /** Decodes a row; the id (for messages and the table-level associated data) is computed only if needed. */
    public T decode(byte[] stored, Supplier<String> rowId) {
        byte[] plain = stored;
        if (model.isEncryptedTable()) {
            if (stored.length < TABLE_MAGIC.length
                    || !Arrays.equals(stored, 0, TABLE_MAGIC.length, TABLE_MAGIC, 0, TABLE_MAGIC.length)) {
                throw new DecryptionException("table '" + model.table() + "' row '" + rowId.get()
                        + "' is not in the e2db encrypted format although the table is @Encrypted");
            }
            plain = aead().open(
                            Arrays.copyOfRange(stored, TABLE_MAGIC.length, stored.length),
                            rowAad(rowId.get()),
                            "table '" + model.table() + "' row '" + rowId.get() + "'");
        }
        Object[] values = new Object[model.fields().size()];
        try (JsonParser p = MAPPER.getFactory().createParser(plain)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new E2dbException("table '" + model.table() + "' row '" + rowId.get() + "' is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                Integer i = positions.get(p.currentName());
                JsonToken token = p.nextToken();
                if (i == null) {
                    p.skipChildren(); // a field this model no longer has
                } else if (token != JsonToken.VALUE_NULL) {
                    FieldModel f = model.fields().get(i);
                    if (f.isEncrypted()) {
                        String text = token == JsonToken.VALUE_STRING ? p.getText() : "";
                        if (!text.startsWith(FIELD_PREFIX)) {
                            throw new DecryptionException(
                                    "table '" + model.table() + "' row '" + rowId.get() + "' field '" + f.name()
                                            + "' is not in the e2db encrypted format although it is @Encrypted");
                        }
                        byte[] sealed = Base64.getDecoder().decode(text.substring(FIELD_PREFIX.length()));
                        values[i] = readers.get(i)
                                .readValue(aead().open(
                                                sealed,
                                                fieldAad(f),
                                                "table '" + model.table() + "' row '" + rowId.get() + "' field '"
                                                        + f.name() + "'"));
                    } else {
                        values[i] = readers.get(i).readValue(p);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new E2dbException(
                    "table '" + model.table() + "' row '" + rowId.get() + "' cannot be read as "
                            + model.type().getName() + ": " + e.getMessage(),
                    e);
        }
        return model.instantiate(values);
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
