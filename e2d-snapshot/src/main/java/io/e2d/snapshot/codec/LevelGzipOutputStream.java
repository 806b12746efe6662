package io.e2d.snapshot.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** {@link GZIPOutputStream} at a chosen deflate level (0 = stored blocks, as Go e2d writes around ciphertext). */
final class LevelGzipOutputStream extends GZIPOutputStream {
    LevelGzipOutputStream(OutputStream out, int level, int bufferSize) throws IOException {
        super(out, bufferSize);
        def.setLevel(level);
    }
}
