/**
 * Snapshot codecs as stream decorators: the Go e2d encryption envelope ({@link
 * io.e2d.snapshot.codec.EncryptingOutputStream}, {@link io.e2d.snapshot.codec.DecryptingInputStream}),
 * gzip and zstd, format detection from magic bytes ({@link io.e2d.snapshot.codec.SnapshotFormat}) and
 * the verified decode that restores rely on ({@link io.e2d.snapshot.codec.SnapshotCodecs#decodeToFile}).
 * Nothing here holds a whole snapshot in memory.
 */
@NullMarked
package io.e2d.snapshot.codec;

import org.jspecify.annotations.NullMarked;
