package io.e2d.pki.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * X.500 names as text in their encoded order ({@code O=e2d,CN=etcd peer}), the way OpenSSL and BouncyCastle
 * print them, from the DER of the name (the JDK's {@code X500Principal.getName()} reverses the order). Short
 * attribute names for the usual attributes, dotted OIDs for the others; string values escaped as RFC 4514
 * wants, other values as {@code #} and the hex of their encoding. Stateless and thread-safe.
 */
public final class DistinguishedNames {
    private static final int SET = 0x31;
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"),
            Map.entry("2.5.4.4", "SURNAME"),
            Map.entry("2.5.4.5", "SERIALNUMBER"),
            Map.entry("2.5.4.6", "C"),
            Map.entry("2.5.4.7", "L"),
            Map.entry("2.5.4.8", "ST"),
            Map.entry("2.5.4.9", "STREET"),
            Map.entry("2.5.4.10", "O"),
            Map.entry("2.5.4.11", "OU"),
            Map.entry("2.5.4.12", "T"),
            Map.entry("2.5.4.17", "PostalCode"),
            Map.entry("2.5.4.42", "GIVENNAME"),
            Map.entry("2.5.4.43", "INITIALS"),
            Map.entry("2.5.4.44", "GENERATION"),
            Map.entry("2.5.4.46", "DN"),
            Map.entry("2.5.4.65", "Pseudonym"),
            Map.entry("1.2.840.113549.1.9.1", "E"),
            Map.entry("0.9.2342.19200300.100.1.1", "UID"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"));
    private static final String SPECIAL = ",\"\\+=<>;";

    private DistinguishedNames() {}

    /**
     * The name encoded in {@code der} (an X.509 {@code Name}) as text, RDNs in encoded order.
     *
     * @throws EncodingException if {@code der} is not a well-formed Name
     */
    public static String format(byte[] der) {
        StringBuilder out = new StringBuilder();
        Der.Reader rdns =
                Der.single(der, Der.SEQUENCE, "the distinguished name").children();
        while (rdns.hasNext()) {
            if (out.length() > 0) {
                out.append(',');
            }
            Der.Reader attributes =
                    rdns.next(SET, "a relative distinguished name").children();
            boolean first = true;
            while (attributes.hasNext()) {
                if (!first) {
                    out.append('+');
                }
                first = false;
                Der.Reader attribute =
                        attributes.next(Der.SEQUENCE, "an attribute").children();
                String oid = attribute
                        .next(Der.OBJECT_IDENTIFIER, "an attribute type")
                        .oid("an attribute type");
                Der.Element value = attribute.nextAny("an attribute value");
                attribute.end("an attribute");
                out.append(NAMES.getOrDefault(oid, oid)).append('=').append(value(value));
            }
        }
        return out.toString();
    }

    private static String value(Der.Element value) {
        Charset charset = charset(value.tag());
        if (charset == null) {
            return "#" + HexFormat.of().formatHex(value.encoded());
        }
        return escape(new String(value.content(), charset));
    }

    private static @Nullable Charset charset(int tag) {
        return switch (tag) {
            case 0x0c -> StandardCharsets.UTF_8; // UTF8String
            case 0x12, 0x13, 0x16, 0x1a -> StandardCharsets.US_ASCII; // Numeric, Printable, IA5, Visible
            case 0x14 -> StandardCharsets.ISO_8859_1; // TeletexString, as commonly (mis)used
            case 0x1e -> StandardCharsets.UTF_16BE; // BMPString
            case 0x1c -> Charset.forName("UTF-32BE"); // UniversalString
            default -> null;
        };
    }

    /** RFC 4514 escaping: the special characters, a leading {@code #}, leading and trailing spaces. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        int lastNonSpace = text.length() - 1;
        while (lastNonSpace >= 0 && text.charAt(lastNonSpace) == ' ') {
            lastNonSpace--;
        }
        boolean leading = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escapeIt =
                    SPECIAL.indexOf(c) >= 0 || (i == 0 && c == '#') || (c == ' ' && (leading || i > lastNonSpace));
            if (c != ' ') {
                leading = false;
            }
            if (escapeIt) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
