package io.e2d.pki.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The little DER (ASN.1 Distinguished Encoding Rules) e2d needs to move private keys between PKCS#1, SEC1
 * and PKCS#8 with the JDK alone: single-byte tags, definite lengths (short and long form), nested
 * structures. Indefinite (BER) and non-minimal lengths, multi-byte tags and truncated elements are refused
 * with an {@link EncodingException}. Stateless and thread-safe.
 */
public final class Der {
    /** Universal tag INTEGER. */
    public static final int INTEGER = 0x02;
    /** Universal tag BIT STRING. */
    public static final int BIT_STRING = 0x03;
    /** Universal tag OCTET STRING. */
    public static final int OCTET_STRING = 0x04;
    /** Universal tag NULL. */
    public static final int NULL = 0x05;
    /** Universal tag OBJECT IDENTIFIER. */
    public static final int OBJECT_IDENTIFIER = 0x06;
    /** Universal tag SEQUENCE (constructed). */
    public static final int SEQUENCE = 0x30;

    /** Lengths above this are refused: no key or certificate comes near 16 MiB. */
    private static final int MAX_LENGTH = 1 << 24;

    private Der() {}

    /** The tag of the context-specific, constructed (EXPLICIT) element {@code [number]}. */
    public static int explicit(int number) {
        return 0xa0 | number;
    }

    /**
     * One encoded element (tag, length, content) inside {@code source}: the bytes {@code start} (the tag) to
     * {@code end} (exclusive), its content from {@code contentStart}.
     */
    public record Element(int tag, byte[] source, int start, int contentStart, int end) {
        /** A copy of the content octets. */
        public byte[] content() {
            return Arrays.copyOfRange(source, contentStart, end);
        }

        /** A copy of the whole element: tag, length and content. */
        public byte[] encoded() {
            return Arrays.copyOfRange(source, start, end);
        }

        /** A reader over the elements of the content (for SEQUENCE and EXPLICIT-tagged elements). */
        public Reader children() {
            return new Reader(source, contentStart, end);
        }

        /** The content of an INTEGER as a signed big-endian number. */
        public BigInteger integer(String what) {
            if (end == contentStart) {
                throw new EncodingException(what + " is an INTEGER with no content octets");
            }
            return new BigInteger(source, contentStart, end - contentStart);
        }

        /** The content of an OBJECT IDENTIFIER in dotted form ({@code 1.2.840.10045.2.1}). */
        public String oid(String what) {
            return decodeOid(source, contentStart, end, what);
        }
    }

    /** Reads the elements between two offsets of a byte array, one after the other. */
    public static final class Reader {
        private final byte[] source;
        private final int end;
        private int position;

        Reader(byte[] source, int start, int end) {
            this.source = source;
            this.position = start;
            this.end = end;
        }

        /** Whether another element follows. */
        public boolean hasNext() {
            return position < end;
        }

        /** The tag of the next element, or -1 at the end. */
        public int peekTag() {
            return hasNext() ? source[position] & 0xff : -1;
        }

        /**
         * The next element, which must have {@code tag}.
         *
         * @param what names the element in error messages ("the PKCS#8 version")
         * @throws EncodingException if there is none, it has another tag, or it is malformed
         */
        public Element next(int tag, String what) {
            if (!hasNext()) {
                throw new EncodingException("expected " + what + " (tag 0x" + hex(tag) + ") at offset " + position
                        + ", found the end of its structure");
            }
            int found = source[position] & 0xff;
            if (found != tag) {
                throw new EncodingException("expected " + what + " (tag 0x" + hex(tag) + ") at offset " + position
                        + ", found tag 0x" + hex(found));
            }
            return nextAny(what);
        }

        /** The next element, whatever its tag. */
        public Element nextAny(String what) {
            int start = position;
            if (end - start < 2) {
                throw new EncodingException(
                        what + " at offset " + start + " is truncated: " + (end - start) + " byte(s) left, no length");
            }
            int tag = source[start] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new EncodingException(what + " at offset " + start + " has a multi-byte tag, not used by keys");
            }
            int first = source[start + 1] & 0xff;
            int contentStart = start + 2;
            long length;
            if (first < 0x80) {
                length = first;
            } else if (first == 0x80) {
                throw new EncodingException(what + " at offset " + start
                        + " has an indefinite length (BER, not DER); convert it with openssl to DER/PEM");
            } else {
                int count = first & 0x7f;
                if (count > 4) {
                    throw new EncodingException(
                            what + " at offset " + start + " has a " + count + "-byte length field, too long");
                }
                if (end - contentStart < count) {
                    throw new EncodingException(what + " at offset " + start + " is truncated inside its length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (source[contentStart + i] & 0xff);
                }
                if (source[contentStart] == 0 || length < 0x80) {
                    throw new EncodingException(
                            what + " at offset " + start + " has a non-minimal length encoding (not DER)");
                }
                contentStart += count;
            }
            if (length > MAX_LENGTH || length > end - contentStart) {
                throw new EncodingException(what + " at offset " + start + " is truncated: it declares " + length
                        + " content bytes, " + (end - contentStart) + " are left");
            }
            position = contentStart + (int) length;
            return new Element(tag, source, start, contentStart, position);
        }

        /**
         * Checks that nothing follows.
         *
         * @throws EncodingException if bytes are left
         */
        public void end(String what) {
            if (hasNext()) {
                throw new EncodingException(
                        what + " has " + (end - position) + " unexpected trailing byte(s) at offset " + position);
            }
        }
    }

    /**
     * Parses {@code der} as exactly one element with {@code tag} (no trailing bytes).
     *
     * @throws EncodingException if it is not
     */
    public static Element single(byte[] der, int tag, String what) {
        Reader r = new Reader(der, 0, der.length);
        Element e = r.next(tag, what);
        r.end(what);
        return e;
    }

    /** Encodes an element: {@code tag}, the DER length of the parts together, then the parts. */
    public static byte[] element(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int count = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | count);
            for (int i = count - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A SEQUENCE of already encoded elements. */
    public static byte[] sequence(byte[]... elements) {
        return element(SEQUENCE, elements);
    }

    /** An INTEGER (minimal two's complement, as DER wants). */
    public static byte[] integer(BigInteger value) {
        return element(INTEGER, value.toByteArray());
    }

    /** An OCTET STRING. */
    public static byte[] octetString(byte[] content) {
        return element(OCTET_STRING, content);
    }

    /** The NULL element. */
    public static byte[] nullElement() {
        return new byte[] {NULL, 0};
    }

    /**
     * An OBJECT IDENTIFIER from its dotted form.
     *
     * @throws IllegalArgumentException if {@code dotted} is not a valid OID
     */
    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("an OID has at least two arcs: " + dotted);
        }
        long[] arcs = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            arcs[i] = Long.parseLong(parts[i]);
            if (arcs[i] < 0) {
                throw new IllegalArgumentException("negative arc in OID " + dotted);
            }
        }
        if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40)) {
            throw new IllegalArgumentException("invalid first arcs in OID " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, arcs[i]);
        }
        return element(OBJECT_IDENTIFIER, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) (value >>> (7 * g)) & 0x7f;
            out.write(g == 0 ? b : b | 0x80);
        }
    }

    private static String decodeOid(byte[] source, int start, int end, String what) {
        if (start == end) {
            throw new EncodingException(what + " is an OBJECT IDENTIFIER with no content octets");
        }
        StringBuilder dotted = new StringBuilder();
        long value = 0;
        boolean firstArc = true;
        for (int i = start; i < end; i++) {
            int b = source[i] & 0xff;
            if (value == 0 && b == 0x80) {
                throw new EncodingException(what + " is an OBJECT IDENTIFIER with a non-minimal arc (not DER)");
            }
            if (value >>> 56 != 0) {
                throw new EncodingException(what + " is an OBJECT IDENTIFIER with an arc too large");
            }
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) != 0) {
                if (i == end - 1) {
                    throw new EncodingException(what + " is an OBJECT IDENTIFIER truncated inside an arc");
                }
                continue;
            }
            if (firstArc) {
                long top = Math.min(value / 40, 2);
                dotted.append(top).append('.').append(value - top * 40);
                firstArc = false;
            } else {
                dotted.append('.').append(value);
            }
            value = 0;
        }
        return dotted.toString();
    }

    private static String hex(int tag) {
        return String.format("%02x", tag);
    }
}
