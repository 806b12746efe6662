package io.e2d.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.snapshot.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decodes a Java-written envelope with OpenSSL (AES-256-CTR and HMAC-SHA-512/256), parsing the
 * header here by hand from the published format, so a bug shared by our writer and reader cannot hide.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IndependentReaderTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "size varint reserved for {0} bytes")
    @ValueSource(longs = {-1, 1L << 40})
    void openSslDecryptsAndAuthenticatesWhatJavaWrote(long reserved) throws Exception {
        byte[] plain = Vectors.syntheticDb(300_000, 7);
        byte[] enc;
        if (reserved < 0) { // size known first: EncryptingOutputStream
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OutputStream out =
                    SnapshotCodecs.encoder(sink, Compression.NONE, Optional.of(Vectors.key()), plain.length)) {
                out.write(plain);
            }
            enc = sink.toByteArray();
        } else { // size known last: the header reserved with a wider (padded) varint and filled in at the end
            Path file = tmp.resolve("envelope");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new FileEncryptingOutputStream(channel, Vectors.key(), reserved)) {
                out.write(plain);
            }
            enc = Files.readAllBytes(file);
            assertThat(enc[10] & 0x80).as("a padded varint").isNotZero();
        }
        assertThat(new String(enc, 0, 10, StandardCharsets.US_ASCII)).isEqualTo("ENCRYPTED:");
        // zigzag LEB128 by hand
        long ux = 0;
        int pos = 10;
        for (int shift = 0; ; shift += 7) {
            int b = enc[pos++] & 0xff;
            ux |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
        }
        long size = (ux >>> 1) ^ -(ux & 1);
        assertThat(size).isEqualTo(plain.length);
        byte[] iv = Arrays.copyOfRange(enc, pos, pos + 16);
        pos += 16;
        Path cipherFile = tmp.resolve("cipher.bin");
        Files.write(cipherFile, Arrays.copyOfRange(enc, pos, pos + (int) size));
        byte[] mac = Arrays.copyOfRange(enc, pos + (int) size, enc.length);
        assertThat(mac).hasSize(32);

        String keyHex = HexFormat.of().formatHex(Vectors.key().bytes());
        Path plainFile = tmp.resolve("plain.bin");
        run(List.of(
                "openssl",
                "enc",
                "-d",
                "-aes-256-ctr",
                "-K",
                keyHex,
                "-iv",
                HexFormat.of().formatHex(iv),
                "-in",
                cipherFile.toString(),
                "-out",
                plainFile.toString()));
        assertThat(Files.readAllBytes(plainFile)).isEqualTo(plain);

        String dgst = run(List.of(
                "openssl",
                "dgst",
                "-sha512-256",
                "-mac",
                "HMAC",
                "-macopt",
                "hexkey:" + keyHex,
                "-r",
                plainFile.toString()));
        assertThat(dgst.split(" ")[0]).isEqualTo(HexFormat.of().formatHex(mac));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
        return out;
    }
}
