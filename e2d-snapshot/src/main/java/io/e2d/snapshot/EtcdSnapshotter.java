package io.e2d.snapshot;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.maintenance.SnapshotResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
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
 * <p>Does not close the client. Thread-safe (no state).
 *
 * <pre>{@code
 * SnapshotInfo saved = EtcdSnapshotter.save(client, archive, Duration.ofMinutes(5), bytes -> {});
 * }</pre>
 */
public final class EtcdSnapshotter {
    private static final int TRAILER = 32;
    /** Bound for the first call, so an unreachable etcd fails fast even with a long snapshot timeout. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private EtcdSnapshotter() {}

    /**
     * Snapshots the etcd member {@code client} talks to into {@code archive}.
     *
     * @param timeout bound for the whole snapshot (the first call, which reads the revision, is
     *     bounded by 30 s at most so that an unreachable etcd fails fast)
     * @param progress called with the plaintext bytes written so far
     * @throws IOException if etcd or the store fails, the trailer does not match, or the timeout passes;
     *     nothing is then visible in the store
     */
    public static SnapshotInfo save(Client client, SnapshotArchive archive, Duration timeout, LongConsumer progress)
            throws IOException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(archive, "archive");
        long deadline = System.nanoTime() + timeout.toNanos();
        Response.Header header = await(
                        client.getKVClient()
                                .get(
                                        ByteSequence.from(new byte[] {0}),
                                        GetOption.builder().withCountOnly(true).build()),
                        Math.min(deadline, System.nanoTime() + CONNECT_TIMEOUT.toNanos()),
                        "read the revision")
                .getHeader();
        Receiver receiver = new Receiver(archive, header.getRevision(), header.getClusterId(), progress);
        client.getMaintenanceClient().snapshot(receiver);
        try {
            await(receiver.done, deadline, "receive the snapshot");
            return receiver.commit();
        } finally {
            receiver.abort();
        }
    }

    private static <T> T await(CompletableFuture<T> future, long deadline, String what) throws IOException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to " + what + " from etcd");
        } catch (TimeoutException e) {
            throw new IOException("timed out waiting to " + what + " from etcd; raise the snapshot timeout", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not " + what + " from etcd: " + cause.getMessage(), cause);
        }
    }

    /** Receives the gRPC stream on jetcd's thread and writes it through the archive. */
    private static final class Receiver implements StreamObserver<SnapshotResponse> {
        private final SnapshotArchive archive;
        private final long revision;
        private final long clusterId;
        private final LongConsumer progress;
        private final MessageDigest sha256;
        private final byte[] trailer = new byte[TRAILER];
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private SnapshotArchive.@Nullable Writer writer;
        private long dbSize = -1;
        private long received;
        private int trailerBytes;
        private boolean aborted;

        Receiver(SnapshotArchive archive, long revision, long clusterId, LongConsumer progress) {
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

        @Override
        public synchronized void onNext(SnapshotResponse response) {
            if (aborted || done.isDone()) {
                return;
            }
            try {
                byte[] blob = response.getBlob().toByteArray();
                if (writer == null) {
                    dbSize = blob.length + response.getRemainingBytes();
                    writer =
                            archive.begin(dbSize + TRAILER, revision, clusterId).onProgress(progress);
                }
                int data = (int) Math.max(0, Math.min(blob.length, dbSize - received));
                if (data > 0) {
                    sha256.update(blob, 0, data);
                    writer.stream().write(blob, 0, data);
                    received += data;
                }
                int rest = blob.length - data;
                if (rest > 0) {
                    if (trailerBytes + rest > TRAILER) {
                        throw new IOException("etcd sent " + (received + trailerBytes + rest) + " bytes, more than"
                                + " the " + dbSize + " announced plus the " + TRAILER + "-byte SHA-256");
                    }
                    System.arraycopy(blob, data, trailer, trailerBytes, rest);
                    trailerBytes += rest;
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
        }

        synchronized SnapshotInfo commit() throws IOException {
            if (writer == null) {
                throw new IOException("etcd's snapshot stream was empty");
            }
            if (received != dbSize || trailerBytes != TRAILER) {
                throw new IOException("etcd's snapshot stream ended early: " + received + " of " + dbSize
                        + " bytes and " + trailerBytes + " of " + TRAILER + " trailer bytes");
            }
            if (!MessageDigest.isEqual(sha256.digest(), trailer)) {
                throw new IOException("etcd's snapshot does not match its SHA-256 trailer; it was discarded");
            }
            writer.stream().write(trailer);
            SnapshotInfo info = writer.commit();
            writer = null;
            return info;
        }

        synchronized void abort() {
            aborted = true;
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }
}
