package io.e2d.db.internal;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key layout of one table. With {@code P} = {@code /<namespace>/<table>/} (or {@code /<table>/} without a
 * namespace):
 *
 * <pre>
 * P_schema                         the table's schema (JSON)
 * P_seq                            last auto-increment value (decimal)
 * Pr/&lt;id&gt;                          a row (JSON, or the AES-GCM envelope for an encrypted table)
 * Pu/&lt;field&gt;/&lt;value&gt;               unique index entry; value = the encoded id
 * Pi/&lt;field&gt;/&lt;value&gt;/&lt;id&gt;          secondary index entry; empty value
 * </pre>
 *
 * Ids and values are encoded by {@link KeyType}: never containing {@code /}, ordered for numbers and dates.
 */
public final class Keys {
    private final String prefix;
    private final ByteSequence tablePrefix;
    private final ByteSequence schema;
    private final ByteSequence seq;
    private final ByteSequence rows;

    public Keys(String namespace, String table) {
        this.prefix = (namespace.isEmpty() ? "/" : "/" + namespace + "/") + table + "/";
        this.tablePrefix = bytes(prefix);
        this.schema = bytes(prefix + "_schema");
        this.seq = bytes(prefix + "_seq");
        this.rows = bytes(prefix + "r/");
    }

    /** The root of all keys under a namespace, e.g. for locks. */
    public static String root(String namespace) {
        return namespace.isEmpty() ? "/" : "/" + namespace + "/";
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** The smallest key greater than every key starting with {@code prefix}. */
    public static ByteSequence prefixEnd(ByteSequence prefix) {
        byte[] b = prefix.getBytes();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(b, i + 1);
                end[i]++;
                return ByteSequence.from(end);
            }
        }
        return ByteSequence.from(new byte[] {0});
    }

    /** The smallest key greater than {@code key}. */
    public static ByteSequence after(ByteSequence key) {
        byte[] b = key.getBytes();
        return ByteSequence.from(Arrays.copyOf(b, b.length + 1));
    }

    public ByteSequence table() {
        return tablePrefix;
    }

    public ByteSequence schema() {
        return schema;
    }

    public ByteSequence seq() {
        return seq;
    }

    public ByteSequence rows() {
        return rows;
    }

    public ByteSequence row(String id) {
        return bytes(prefix + "r/" + id);
    }

    /** The encoded id at the end of a row key. */
    public String idOfRow(ByteSequence rowKey) {
        return rowKey.toString(StandardCharsets.UTF_8).substring(prefix.length() + 2);
    }

    public ByteSequence uniques() {
        return bytes(prefix + "u/");
    }

    public ByteSequence indexes() {
        return bytes(prefix + "i/");
    }

    public ByteSequence unique(String field, String value) {
        return bytes(prefix + "u/" + field + "/" + value);
    }

    /** All unique entries of a field. */
    public ByteSequence uniqueField(String field) {
        return bytes(prefix + "u/" + field + "/");
    }

    public ByteSequence index(String field, String value, String id) {
        return bytes(prefix + "i/" + field + "/" + value + "/" + id);
    }

    /** All entries of one value of an index. */
    public ByteSequence indexValue(String field, String value) {
        return bytes(prefix + "i/" + field + "/" + value + "/");
    }

    /** All entries of an index. */
    public ByteSequence indexField(String field) {
        return bytes(prefix + "i/" + field + "/");
    }

    /** The encoded id at the end of an index entry key. */
    public static String idOfIndexEntry(ByteSequence indexKey) {
        String k = indexKey.toString(StandardCharsets.UTF_8);
        return k.substring(k.lastIndexOf('/') + 1);
    }
}
