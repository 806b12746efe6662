package io.e2d.pki.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * PEM text (RFC 7468, with the RFC 1421 headers of OpenSSL's traditional encrypted keys) with the JDK alone.
 * Stateless and thread-safe.
 *
 * <p>Reading follows OpenSSL: text outside blocks is ignored; a block is a {@code -----BEGIN TYPE-----} line,
 * optional {@code Name: value} header lines (ended by a blank line), base64 lines, and the matching {@code
 * -----END TYPE-----} line. Marker lines may carry surrounding whitespace; lines may end with LF, CRLF or CR.
 *
 * <p>Writing produces exactly what BouncyCastle's {@code PemWriter} writes on Unix: the BEGIN line, base64 in
 * lines of 64 characters, the END line, each ended by {@code "\n"}.
 */
public final class PemCodec {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final int LINE_LENGTH = 64;

    private PemCodec() {}

    /** A header line of a block ({@code Proc-Type: 4,ENCRYPTED}). */
    public record Header(String name, String value) {}

    /** One block: its type label, its headers in order, and its decoded content. */
    public record Block(String type, List<Header> headers, byte[] content) {
        /** Whether a header {@code name} (case-insensitive) has a value containing {@code text}. */
        public boolean hasHeader(String name, String text) {
            return headers.stream()
                    .anyMatch(h -> h.name().equalsIgnoreCase(name) && h.value().contains(text));
        }
    }

    /**
     * Every block of {@code text}, in order; an empty list if there is none.
     *
     * @throws EncodingException for a block without its END line, with another END line, or with invalid
     *     base64
     */
    public static List<Block> decode(String text) {
        String[] lines = lines(text);
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            String type = beginType(lines[i].strip());
            i++;
            if (type == null) {
                continue; // text outside blocks
            }
            String endLine = END + type + DASHES;
            List<Header> headers = new ArrayList<>();
            StringBuilder base64 = new StringBuilder();
            boolean inHeaders = true;
            boolean ended = false;
            while (i < lines.length && !ended) {
                String line = lines[i].strip();
                i++;
                if (line.startsWith(END)) {
                    if (!line.equals(endLine)) {
                        throw new EncodingException("found " + line + " where " + endLine + " was expected");
                    }
                    ended = true;
                } else if (line.startsWith(BEGIN)) {
                    throw new EncodingException(endLine + " not found before the next " + line);
                } else if (line.isEmpty()) {
                    inHeaders = false;
                } else if (inHeaders && line.indexOf(':') > 0) {
                    int colon = line.indexOf(':');
                    headers.add(new Header(
                            line.substring(0, colon).strip(),
                            line.substring(colon + 1).strip()));
                } else {
                    inHeaders = false;
                    base64.append(line);
                }
            }
            if (!ended) {
                throw new EncodingException(endLine + " not found");
            }
            byte[] content;
            try {
                content = Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                throw new EncodingException("the base64 body of the " + type + " block is invalid: " + e.getMessage());
            }
            blocks.add(new Block(type, List.copyOf(headers), content));
        }
        return blocks;
    }

    /** The lines of {@code text}, ended by LF, CRLF or CR (as BufferedReader.readLine splits them). */
    private static String[] lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines.toArray(new String[0]);
    }

    /** The block type of a BEGIN line, or null if the line is no BEGIN line. */
    private static @Nullable String beginType(String line) {
        if (!line.startsWith(BEGIN) || !line.endsWith(DASHES) || line.length() <= BEGIN.length() + DASHES.length()) {
            return null;
        }
        String type = line.substring(BEGIN.length(), line.length() - DASHES.length());
        return type.contains(DASHES) ? null : type;
    }

    /** A PEM block of {@code type} holding {@code content}: BEGIN line, base64 in 64-character lines, END line. */
    public static String encode(String type, byte[] content) {
        String base64 = Base64.getEncoder().encodeToString(content);
        StringBuilder out = new StringBuilder(base64.length() + base64.length() / LINE_LENGTH + 2 * type.length() + 40);
        out.append(BEGIN).append(type).append(DASHES).append('\n');
        for (int i = 0; i < base64.length(); i += LINE_LENGTH) {
            out.append(base64, i, Math.min(base64.length(), i + LINE_LENGTH)).append('\n');
        }
        out.append(END).append(type).append(DASHES).append('\n');
        return out.toString();
    }
}
