package io.e2d.snapshot.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A place that holds snapshot objects by name: a directory, or an S3 bucket and key prefix. Names
 * are plain file names (no {@code /}), relative to {@link #location()}.
 *
 * <p>Writing is two-phase: {@link #create} returns a {@link PendingObject} whose bytes stay invisible
 * (a temp file, an uncompleted multipart upload) until {@link PendingObject#commit()}; closing it
 * uncommitted discards them. So an interrupted upload never replaces or hides a good snapshot.
 *
 * <p>Implementations are thread-safe. Add a backend with one class and one line in {@link SnapshotStores}.
 *
 * <pre>{@code
 * try (SnapshotStore store = SnapshotStores.forUri("s3://backups/etcd.snapshot", SnapshotStoreOptions.defaults());
 *         PendingObject object = store.create("etcd.snapshot-20260101T000000.000Z-r42")) {
 *     source.transferTo(object.stream());
 *     object.commit();
 * }
 * }</pre>
 */
public interface SnapshotStore extends AutoCloseable {
    /** The parsed location this store was opened for. */
    SnapshotLocation location();

    /**
     * Starts writing a new object; nothing is visible until {@link PendingObject#commit()}.
     *
     * @throws IOException if the backend refuses (permissions, missing bucket...)
     */
    PendingObject create(String name) throws IOException;

    /**
     * Opens an object for reading; the caller closes the stream.
     *
     * @throws io.e2d.snapshot.SnapshotNotFoundException if there is no such object
     * @throws IOException if reading fails
     */
    InputStream open(String name) throws IOException;

    /**
     * Lists the committed objects at the location (not below it), in no particular order.
     *
     * @throws IOException if listing fails
     */
    List<StoredObject> list() throws IOException;

    /**
     * Deletes an object; deleting a missing object is not an error.
     *
     * @throws IOException if deleting fails
     */
    void delete(String name) throws IOException;

    /** Releases clients and connections. Idempotent. */
    @Override
    void close();

    /** An object being written; see {@link SnapshotStore#create}. Not thread-safe. */
    interface PendingObject extends AutoCloseable {
        /** Where to write the bytes; do not close it, {@link #commit()} finishes it. */
        java.io.OutputStream stream();

        /**
         * The local file behind the object, open for reading and writing, for writers that fill in a
         * header once the body is written (it shares its position with {@link #stream()}); do not close
         * it. Empty when the backend does not write a local file (S3).
         */
        default java.util.Optional<java.nio.channels.FileChannel> channel() {
            return java.util.Optional.empty();
        }

        /**
         * Makes the object visible under its name, atomically replacing any object of that name.
         *
         * @throws IOException if the backend fails; the object is then discarded
         */
        void commit() throws IOException;

        /** Discards the object unless committed. Idempotent; never throws for an abort. */
        @Override
        void close();
    }
}
