package io.e2d.snapshot;

import io.e2d.snapshot.internal.CryptoPieces;
import io.e2d.snapshot.internal.GrpcConnection;
import io.e2d.snapshot.internal.ProtoReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Takes a snapshot from a running etcd ({@code Maintenance.Snapshot}) and streams it into a {@link
 * SnapshotArchive}, never holding it in memory: each message goes through the codecs into the store as
 * it arrives.
 *
 * <p>etcd's stream is the bbolt database followed by a 32-byte SHA-256 of it. The trailer is checked
 * here (a mismatch discards the snapshot) and <b>kept</b>: {@code etcdctl snapshot restore} then
 * verifies the hash again without {@code --skip-hash-check}, and Go e2d, which restores with the check
 * skipped, strips it. The plaintext size, which the encryption envelope needs first, comes from the
 * first message ({@code blob + remaining_bytes}).
 *
 * <p>The calls go over e2d's own minimal gRPC client (one HTTP/2 connection, see {@code
 * internal.GrpcConnection}), not jetcd: a one-shot {@code e2d snapshot save} in a new JVM then costs
 * about what {@code etcdctl snapshot save} does instead of 2.8 times as much. The calling thread reads
 * and encodes; while it encodes, TCP holds etcd back, so memory stays constant however slow the store
 * is. The revision and cluster id of the snapshot's metadata come from a count-only Range on the same
 * connection just before it.
 *
 * <p>Thread-safe (no state).
 *
 * <pre>{@code
 * SnapshotInfo saved = EtcdSnapshotter.save(SnapshotSource.of(URI.create("http://127.0.0.1:2379")),
 *         archive, Duration.ofMinutes(5), bytes -> {});
 * }</pre>
 */
public final class EtcdSnapshotter {
    private static final int TRAILER = 32;
    /** Bound for connecting and the first call, so an unreachable etcd fails fast even with a long timeout. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private static final String RANGE = "/etcdserverpb.KV/Range";
    private static final String SNAPSHOT = "/etcdserverpb.Maintenance/Snapshot";
    /** RangeRequest{key: "\0", count_only: true}: the cheapest call that returns a response header. */
    private static final byte[] COUNT_ONLY_RANGE = {0x0a, 0x01, 0x00, 0x48, 0x01};

    private EtcdSnapshotter() {}

    /**
     * Snapshots one etcd member of {@code source} into {@code archive}: the first endpoint that answers,
     * in order.
     *
     * @param timeout bound for the whole snapshot (connecting and the first call are bounded by 30 s at
     *     most, so that an unreachable etcd fails fast)
     * @param progress called on the calling thread with the plaintext bytes written so far
     * @throws IOException if no endpoint answers (the message lists each one's failure), etcd or the store
     *     fails, the trailer does not match, or the timeout passes; nothing is then visible in the store
     */
    public static SnapshotInfo save(
            SnapshotSource source, SnapshotArchive archive, Duration timeout, LongConsumer progress)
            throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(progress, "progress");
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> failures = new ArrayList<>();
        for (URI endpoint : source.endpoints()) {
            long first = Math.min(deadline, System.nanoTime() + CONNECT_TIMEOUT.toNanos());
            GrpcConnection connection = null;
            Header header;
            try {
                connection = GrpcConnection.open(endpoint, source.tls(), first);
                header = responseHeader(connection, first);
            } catch (IOException e) {
                if (connection != null) {
                    connection.close();
                }
                failures.add(e.getMessage());
                continue;
            }
            try (GrpcConnection c = connection;
                    Encoder encoder = new Encoder(archive, header.revision(), header.clusterId(), progress)) {
                c.call(SNAPSHOT, new byte[0], encoder::message, deadline);
                return encoder.commit();
            }
        }
        throw new IOException(
                failures.size() == 1 ? failures.get(0) : "no etcd endpoint answered: " + String.join("; ", failures));
    }

    /** The revision and cluster id of the snapshot's metadata, from the header of a count-only Range. */
    private static Header responseHeader(GrpcConnection connection, long deadline) throws IOException {
        List<Header> headers = new ArrayList<>(1);
        connection.call(
                RANGE,
                COUNT_ONLY_RANGE,
                (buffer, offset, length) -> headers.add(Header.ofRange(buffer, offset, length)),
                deadline);
        if (headers.size() != 1) {
            throw new IOException("etcd answered a Range with " + headers.size() + " messages, expected 1");
        }
        return headers.get(0);
    }

    /** What the metadata takes from etcd's ResponseHeader. */
    private record Header(long revision, long clusterId) {
        /** RangeResponse{header = 1: ResponseHeader{cluster_id = 1, revision = 3}}. */
        static Header ofRange(byte[] buffer, int offset, int length) throws IOException {
            long revision = -1;
            long clusterId = 0;
            ProtoReader range = new ProtoReader(buffer, offset, length);
            while (range.next()) {
                if (range.field() != 1) {
                    range.skip();
                    continue;
                }
                int at = range.bytes();
                ProtoReader header = new ProtoReader(buffer, at, range.length());
                while (header.next()) {
                    switch (header.field()) {
                        case 1 -> clusterId = header.varint();
                        case 3 -> revision = header.varint();
                        default -> header.skip();
                    }
                }
            }
            if (revision < 0) {
                throw new IOException("etcd's Range response had no revision");
            }
            return new Header(revision, clusterId);
        }
    }

    /**
     * Splits etcd's stream into the database and its SHA-256 trailer, hashes the database once as it
     * passes, and writes both through the archive. Used by the calling thread only.
     */
    private static final class Encoder implements AutoCloseable {
        private final SnapshotArchive archive;
        private final long revision;
        private final long clusterId;
        private final LongConsumer progress;
        private final MessageDigest sha256;
        private final byte[] trailer = new byte[TRAILER];
        private SnapshotArchive.@Nullable Writer writer;
        private long dbSize = -1;
        private long received;
        private int trailerBytes;

        Encoder(SnapshotArchive archive, long revision, long clusterId, LongConsumer progress) {
            this.archive = archive;
            this.revision = revision;
            this.clusterId = clusterId;
            this.progress = progress;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        /** One SnapshotResponse{header = 1, remaining_bytes = 2, blob = 3}. */
        void message(byte[] buffer, int offset, int length) throws IOException {
            ProtoReader response = new ProtoReader(buffer, offset, length);
            long remaining = 0;
            int blob = offset;
            int size = 0;
            while (response.next()) {
                switch (response.field()) {
                    case 2 -> remaining = response.varint();
                    case 3 -> {
                        blob = response.bytes();
                        size = response.length();
                    }
                    default -> response.skip();
                }
            }
            write(buffer, blob, size, remaining);
        }

        private void write(byte[] buffer, int offset, int size, long remaining) throws IOException {
            SnapshotArchive.Writer w = writer;
            if (w == null) {
                dbSize = size + remaining;
                w = archive.begin(dbSize + TRAILER, revision, clusterId).onProgress(progress);
                writer = w;
            }
            OutputStream out = w.stream();
            int data = (int) Math.max(0, Math.min(size, dbSize - received));
            if (data > 0) {
                CryptoPieces.update(sha256, buffer, offset, data);
                out.write(buffer, offset, data);
                received += data;
            }
            int rest = size - data;
            if (rest > 0) {
                if (trailerBytes + rest > TRAILER) {
                    throw new IOException("etcd sent " + (received + trailerBytes + rest) + " bytes, more than"
                            + " the " + dbSize + " announced plus the " + TRAILER + "-byte SHA-256");
                }
                System.arraycopy(buffer, offset + data, trailer, trailerBytes, rest);
                trailerBytes += rest;
            }
        }

        SnapshotInfo commit() throws IOException {
            SnapshotArchive.Writer w = writer;
            if (w == null) {
                throw new IOException("etcd's snapshot stream was empty");
            }
            if (received != dbSize || trailerBytes != TRAILER) {
                throw new IOException("etcd's snapshot stream ended early: " + received + " of " + dbSize
                        + " bytes and " + trailerBytes + " of " + TRAILER + " trailer bytes");
            }
            if (!MessageDigest.isEqual(sha256.digest(), trailer)) {
                throw new IOException("etcd's snapshot does not match its SHA-256 trailer; it was discarded");
            }
            w.stream().write(trailer);
            SnapshotInfo info = w.commit();
            writer = null;
            return info;
        }

        /** Discards the snapshot unless committed. */
        @Override
        public void close() {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }
}
