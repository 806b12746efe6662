package io.e2d.snapshot;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.maintenance.SnapshotResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Takes a snapshot from a running etcd (jetcd {@code Maintenance.snapshot}) and streams it into a
 * {@link SnapshotArchive}, never holding it in memory: each chunk goes through the codecs into the
 * store as it arrives.
 *
 * <p>etcd's stream is the bbolt database followed by a 32-byte SHA-256 of it. The trailer is
 * checked here (a mismatch discards the snapshot) and <b>kept</b>: {@code etcdctl snapshot restore}
 * then verifies the hash again without {@code --skip-hash-check}, and Go e2d, which restores with
 * the check skipped, strips it. The plaintext size, which the encryption envelope needs first, comes
 * from the first message ({@code blob + remaining_bytes}).
 *
 * <p>Receiving overlaps with encoding: jetcd's thread only hands each message to a bounded queue
 * ({@value #QUEUE_CHUNKS} messages; etcd sends 32 KiB each), and the calling thread checks the
 * trailer and encodes into the store. When the queue is full jetcd's thread waits, which holds etcd
 * back through gRPC flow control, so memory stays constant however slow the store is.
 *
 * <p>Does not close the client. Thread-safe (no state).
 *
 * <pre>{@code
 * SnapshotInfo saved = EtcdSnapshotter.save(client, archive, Duration.ofMinutes(5), bytes -> {});
 * }</pre>
 */
public final class EtcdSnapshotter {
    private static final int TRAILER = 32;
    /** Messages buffered between jetcd's thread and the encoding thread (etcd sends 32 KiB each). */
    static final int QUEUE_CHUNKS = 64;
    /** Bound for the first call, so an unreachable etcd fails fast even with a long snapshot timeout. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How often a waiting jetcd thread checks whether the save was abandoned. */
    private static final Duration OFFER_POLL = Duration.ofMillis(100);

    private EtcdSnapshotter() {}

    /**
     * Snapshots the etcd member {@code client} talks to into {@code archive}; encodes on the calling
     * thread while jetcd's thread receives.
     *
     * @param timeout bound for the whole snapshot (the first call, which reads the revision, is
     *     bounded by 30 s at most so that an unreachable etcd fails fast)
     * @param progress called on the calling thread with the plaintext bytes written so far
     * @throws IOException if etcd or the store fails, the trailer does not match, or the timeout passes;
     *     nothing is then visible in the store
     */
    public static SnapshotInfo save(Client client, SnapshotArchive archive, Duration timeout, LongConsumer progress)
            throws IOException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(progress, "progress");
        long deadline = System.nanoTime() + timeout.toNanos();
        Response.Header header = await(
                        client.getKVClient()
                                .get(
                                        ByteSequence.from(new byte[] {0}),
                                        GetOption.builder().withCountOnly(true).build()),
                        Math.min(deadline, System.nanoTime() + CONNECT_TIMEOUT.toNanos()),
                        "read the revision")
                .getHeader();
        Receiver receiver = new Receiver();
        client.getMaintenanceClient().snapshot(receiver);
        try (Encoder encoder = new Encoder(archive, header.getRevision(), header.getClusterId(), progress)) {
            while (true) {
                Chunk chunk = receiver.take(deadline);
                if (chunk == Chunk.END) {
                    return encoder.commit();
                }
                encoder.write(chunk);
            }
        } finally {
            receiver.abandon();
        }
    }

    private static <T> T await(CompletableFuture<T> future, long deadline, String what) throws IOException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to " + what + " from etcd");
        } catch (TimeoutException e) {
            throw timedOut(what, e);
        } catch (ExecutionException e) {
            throw failed(what, e.getCause());
        }
    }

    private static IOException timedOut(String what, @Nullable Throwable cause) {
        return new IOException("timed out waiting to " + what + " from etcd; raise the snapshot timeout", cause);
    }

    private static IOException failed(String what, Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException("could not " + what + " from etcd: " + cause.getMessage(), cause);
    }

    /** One message of etcd's stream (no copy of its bytes), or {@link #END}. */
    private record Chunk(ByteString blob, long remainingBytes) {
        static final Chunk END = new Chunk(ByteString.EMPTY, -1);
    }

    /**
     * Receives the gRPC stream on jetcd's thread into a bounded queue, ended by {@link Chunk#END}.
     * Once abandoned (the save failed or finished) it drops whatever still arrives.
     */
    private static final class Receiver implements StreamObserver<SnapshotResponse> {
        private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        private volatile @Nullable Throwable error;
        private volatile boolean abandoned;

        @Override
        public void onNext(SnapshotResponse response) {
            offer(new Chunk(response.getBlob(), response.getRemainingBytes()));
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            offer(Chunk.END);
        }

        @Override
        public void onCompleted() {
            offer(Chunk.END);
        }

        private void offer(Chunk chunk) {
            try {
                while (!abandoned && !queue.offer(chunk, OFFER_POLL.toNanos(), TimeUnit.NANOSECONDS)) {
                    // full: wait for the encoder, unless it gave up
                }
            } catch (InterruptedException e) {
                // jetcd is shutting down: fail the save now rather than at its deadline
                Thread.currentThread().interrupt();
                error = new InterruptedIOException("jetcd's thread was interrupted while handing over the snapshot");
                abandoned = true;
                queue.clear();
                queue.offer(Chunk.END);
            }
        }

        /** The next chunk, or {@link Chunk#END}; throws etcd's error, or when the deadline passes. */
        Chunk take(long deadline) throws IOException {
            Chunk chunk;
            try {
                chunk = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while receiving the snapshot from etcd");
            }
            if (chunk == null) {
                throw timedOut("receive the snapshot", null);
            }
            Throwable failure = error;
            if (chunk == Chunk.END && failure != null) {
                throw failed("receive the snapshot", failure);
            }
            return chunk;
        }

        void abandon() {
            abandoned = true;
            queue.clear();
        }
    }

    /**
     * Splits etcd's stream into the database and its SHA-256 trailer, hashes the database once as
     * it passes, and writes both through the archive. Used by the calling thread only.
     */
    private static final class Encoder implements AutoCloseable {
        private final SnapshotArchive archive;
        private final long revision;
        private final long clusterId;
        private final LongConsumer progress;
        private final MessageDigest sha256;
        private final byte[] trailer = new byte[TRAILER];
        private SnapshotArchive.@Nullable Writer writer;
        private @Nullable DigestingStream database;
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

        void write(Chunk chunk) throws IOException {
            ByteString blob = chunk.blob();
            if (writer == null) {
                dbSize = blob.size() + chunk.remainingBytes();
                SnapshotArchive.Writer w =
                        archive.begin(dbSize + TRAILER, revision, clusterId).onProgress(progress);
                writer = w;
                database = new DigestingStream(w.stream(), sha256);
            }
            int data = (int) Math.max(0, Math.min(blob.size(), dbSize - received));
            if (data > 0) {
                // the message's own array goes to the stream, which only reads it: no copy
                UnsafeByteOperations.unsafeWriteTo(
                        data == blob.size() ? blob : blob.substring(0, data), Objects.requireNonNull(database));
                received += data;
            }
            int rest = blob.size() - data;
            if (rest > 0) {
                if (trailerBytes + rest > TRAILER) {
                    throw new IOException("etcd sent " + (received + trailerBytes + rest) + " bytes, more than"
                            + " the " + dbSize + " announced plus the " + TRAILER + "-byte SHA-256");
                }
                blob.copyTo(trailer, data, trailerBytes, rest);
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

    /**
     * Updates a digest with what passes through and writes it on; as a protobuf {@link ByteOutput}
     * it receives a message's bytes without a copy (neither the digest nor the archive's stream
     * modifies them).
     */
    private static final class DigestingStream extends ByteOutput {
        private final OutputStream out;
        private final MessageDigest digest;

        DigestingStream(OutputStream out, MessageDigest digest) {
            this.out = out;
            this.digest = digest;
        }

        @Override
        public void write(byte value) throws IOException {
            write(new byte[] {value}, 0, 1);
        }

        @Override
        public void write(byte[] value, int offset, int length) throws IOException {
            digest.update(value, offset, length);
            out.write(value, offset, length);
        }

        @Override
        public void writeLazy(byte[] value, int offset, int length) throws IOException {
            write(value, offset, length);
        }

        @Override
        public void write(ByteBuffer value) throws IOException {
            if (value.hasArray()) {
                write(value.array(), value.arrayOffset() + value.position(), value.remaining());
                value.position(value.limit());
            } else {
                byte[] copy = new byte[value.remaining()];
                value.get(copy);
                write(copy, 0, copy.length);
            }
        }

        @Override
        public void writeLazy(ByteBuffer value) throws IOException {
            write(value);
        }
    }
}
