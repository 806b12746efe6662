package io.e2d.snapshot.codec;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.List;

/**
 * The plaintext of a snapshot, decoded through the layers detected in it ({@link #layers()}, outer
 * first, always ending with {@link SnapshotFormat#BBOLT}). When an {@link SnapshotFormat#ENCRYPTED}
 * layer is present, bytes read are unauthenticated until {@code read} returned {@code -1}. Not
 * thread-safe; closing closes the source.
 */
public final class DecodingInputStream extends FilterInputStream {
    private final List<SnapshotFormat> layers;

    DecodingInputStream(InputStream in, List<SnapshotFormat> layers) {
        super(in);
        this.layers = List.copyOf(layers);
    }

    /** The layers found, outer first; the last one is {@link SnapshotFormat#BBOLT}. */
    public List<SnapshotFormat> layers() {
        return layers;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
        return in.read(b, off, len);
    }
}
