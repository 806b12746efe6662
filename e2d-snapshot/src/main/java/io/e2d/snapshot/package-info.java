/** e2d snapshots: streaming codecs (gzip, zstd, e2d encryption envelope) and stores (file, S3, Spaces). */
@NullMarked
package io.e2d.snapshot;

import org.jspecify.annotations.NullMarked;
