package io.e2d.snapshot.internal;

import java.io.IOException;

/**
 * Reads the fields of one protobuf message in wire format, in order, without copying: enough for the two
 * etcd responses e2d reads (RangeResponse's header, SnapshotResponse). Unknown fields are skipped, so
 * newer etcd versions that add fields still parse. Not thread-safe.
 *
 * <pre>{@code
 * ProtoReader r = new ProtoReader(buffer, offset, length);
 * while (r.next()) {
 *     switch (r.field()) {
 *         case 2 -> remaining = r.varint();
 *         case 3 -> { int at = r.bytes(); blob = buffer[at .. at + r.length()) }
 *         default -> r.skip();
 *     }
 * }
 * }</pre>
 */
public final class ProtoReader {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int FIXED32 = 5;

    private final byte[] buffer;
    private final int end;
    private int at;
    private int field;
    private int wireType;
    private int length;

    public ProtoReader(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.at = offset;
        this.end = offset + length;
    }

    /** Reads the next field's tag; false at the end of the message. */
    public boolean next() throws IOException {
        if (at >= end) {
            return false;
        }
        long tag = rawVarint();
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (field == 0) {
            throw malformed("field number 0");
        }
        return true;
    }

    /** The current field's number. */
    public int field() {
        return field;
    }

    /** The current field as a varint (int32, int64, uint64, bool). */
    public long varint() throws IOException {
        expect(VARINT);
        return rawVarint();
    }

    /** Starts reading the current length-delimited field; returns its offset (its size is {@link #length()}). */
    public int bytes() throws IOException {
        expect(LEN);
        long n = rawVarint();
        if (n < 0 || n > end - at) {
            throw malformed("a field of " + n + " bytes with " + (end - at) + " left");
        }
        length = (int) n;
        int start = at;
        at += length;
        return start;
    }

    /** The size of the field last read with {@link #bytes()}. */
    public int length() {
        return length;
    }

    /** Skips the current field. */
    public void skip() throws IOException {
        switch (wireType) {
            case VARINT -> rawVarint();
            case LEN -> bytes();
            case FIXED64 -> advance(8);
            case FIXED32 -> advance(4);
            default -> throw malformed("wire type " + wireType);
        }
    }

    private void advance(int n) throws IOException {
        if (n > end - at) {
            throw malformed("a field cut short");
        }
        at += n;
    }

    private void expect(int type) throws IOException {
        if (wireType != type) {
            throw malformed("wire type " + wireType + " for field " + field + ", expected " + type);
        }
    }

    private long rawVarint() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                throw malformed("a varint cut short");
            }
            byte b = buffer[at++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw malformed("a varint longer than 10 bytes");
    }

    private static IOException malformed(String what) {
        return new IOException("etcd sent a malformed protobuf message: " + what);
    }
}
