package io.e2d.snapshot.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 and gRPC branches a real etcd cannot be made to take on demand (PING, padding,
 * CONTINUATION, GOAWAY, RST_STREAM, error trailers, a peer that is not HTTP/2, silence), against a
 * scripted peer on a loopback socket. The normal path and TLS run against real etcd in {@code
 * EtcdSnapshotIT} and e2d-cli's {@code SnapshotSaveTlsIT}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GrpcConnectionTest {
    private static final String METHOD = "/etcdserverpb.Maintenance/Snapshot";
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int CONTINUATION = 9;

    private final ServerSocket server = newServer();
    private final URI endpoint = URI.create("http://127.0.0.1:" + server.getLocalPort());
    private final List<int[]> clientFrames = new ArrayList<>();
    private byte[] pingAck = new byte[0];

    private static ServerSocket newServer() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** What the scripted peer sends once it has read the client's preface and request. */
    private interface Script {
        void play(OutputStream out) throws IOException;
    }

    private CompletableFuture<Void> peer(Script script) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] preface = new byte[24];
                in.readFully(preface);
                assertThat(new String(preface, US_ASCII)).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
                readUntilEndStream(in);
                script.play(s.getOutputStream());
                s.getOutputStream().flush();
                readRest(in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Reads the client's frames up to its request's END_STREAM, recording {type, flags, stream}. */
    private void readUntilEndStream(DataInputStream in) throws IOException {
        while (true) {
            int[] f = readFrame(in);
            if (f[0] == DATA && (f[1] & 1) != 0) {
                return;
            }
        }
    }

    private void readRest(InputStream in) {
        try {
            DataInputStream d = new DataInputStream(in);
            while (true) {
                readFrame(d);
            }
        } catch (IOException e) {
            // the client closed the connection
        }
    }

    private int[] readFrame(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt();
        byte[] payload = in.readNBytes(length);
        int[] f = {type, flags, stream};
        synchronized (clientFrames) {
            clientFrames.add(f);
            if (type == PING && (flags & 1) != 0) {
                pingAck = payload;
            }
        }
        return f;
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {
            (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8),
            (byte) payload.length,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        });
        out.write(payload);
    }

    /** An HPACK block of literal fields without indexing (no Huffman), name/value pairs. */
    private static byte[] headers(String... fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            b.write(0);
            b.write(fields[i].length());
            b.writeBytes(fields[i].getBytes(US_ASCII));
            b.write(fields[i + 1].length());
            b.writeBytes(fields[i + 1].getBytes(US_ASCII));
        }
        return b.toByteArray();
    }

    private static byte[] grpcMessage(byte[] body) {
        byte[] m = new byte[5 + body.length];
        m[1] = (byte) (body.length >>> 24);
        m[2] = (byte) (body.length >>> 16);
        m[3] = (byte) (body.length >>> 8);
        m[4] = (byte) body.length;
        System.arraycopy(body, 0, m, 5, body.length);
        return m;
    }

    private static void settings(OutputStream out) throws IOException {
        frame(out, SETTINGS, 0, 0, new byte[0]);
    }

    private List<byte[]> call(long timeoutMillis) throws IOException {
        List<byte[]> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try (GrpcConnection c = GrpcConnection.open(endpoint, Optional.empty(), deadline)) {
            c.call(METHOD, new byte[0], (b, off, len) -> messages.add(Arrays.copyOfRange(b, off, off + len)), deadline);
        }
        return messages;
    }

    @Test
    void pingPaddingContinuationAndSplitMessagesAreHandled() throws Exception {
        byte[] body = new byte[40_000]; // more than two 16 KiB frames
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        byte[] message = grpcMessage(body);
        CompletableFuture<Void> peer = peer(out -> {
            settings(out);
            frame(out, PING, 0, 0, "12345678".getBytes(US_ASCII));
            frame(out, HEADERS, 0x4, 1, headers(":status", "200", "content-type", "application/grpc"));
            // padded first part: pad length 3, data, 3 bytes of padding
            byte[] first = new byte[1 + 10_000 + 3];
            first[0] = 3;
            System.arraycopy(message, 0, first, 1, 10_000);
            frame(out, DATA, 0x8, 1, first);
            frame(out, DATA, 0, 1, Arrays.copyOfRange(message, 10_000, 26_000));
            frame(out, DATA, 0, 1, Arrays.copyOfRange(message, 26_000, message.length));
            byte[] trailers = headers("grpc-status", "0");
            frame(out, HEADERS, 0x1, 1, Arrays.copyOfRange(trailers, 0, 5)); // END_STREAM, no END_HEADERS
            frame(out, CONTINUATION, 0x4, 1, Arrays.copyOfRange(trailers, 5, trailers.length));
        });

        List<byte[]> messages = call(10_000);

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).isEqualTo(body);
        peer.get(10, TimeUnit.SECONDS);
        synchronized (clientFrames) {
            assertThat(new String(pingAck, US_ASCII)).isEqualTo("12345678");
            assertThat(clientFrames).anySatisfy(f -> assertThat(f).containsExactly(SETTINGS, 1, 0)); // SETTINGS ack
        }
    }

    @Test
    void errorTrailersGiveEtcdsStatusAndMessage() {
        peer(out -> {
            settings(out);
            frame(
                    out,
                    HEADERS,
                    0x5,
                    1,
                    headers(":status", "200", "grpc-status", "7", "grpc-message", "etcdserver:%20permission%20denied"));
        });

        assertThatThrownBy(() -> call(10_000))
                .isInstanceOf(IOException.class)
                .hasMessage("etcd at " + endpoint + " failed " + METHOD
                        + ": PERMISSION_DENIED: etcdserver: permission denied");
    }

    @Test
    void goawayWithAnErrorFailsTheCall() {
        peer(out -> {
            settings(out);
            byte[] payload = {0, 0, 0, 0, 0, 0, 0, 11, 'c', 'a', 'l', 'm'};
            frame(out, GOAWAY, 0, 0, payload);
        });

        assertThatThrownBy(() -> call(10_000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("GOAWAY ENHANCE_YOUR_CALM: calm")
                .hasMessageContaining(endpoint.toString());
    }

    @Test
    void resetStreamFailsTheCall() {
        peer(out -> {
            settings(out);
            frame(out, HEADERS, 0x4, 1, headers(":status", "200"));
            frame(out, RST_STREAM, 0, 1, new byte[] {0, 0, 0, 8});
        });

        assertThatThrownBy(() -> call(10_000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("reset " + METHOD + " (HTTP/2 error CANCEL)");
    }

    @Test
    void aPeerThatIsNotHttp2IsNamedAsSuch() {
        peer(out -> out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(US_ASCII)));

        assertThatThrownBy(() -> call(10_000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not HTTP/2")
                .hasMessageContaining("https://");
    }

    @Test
    void aSilentPeerTimesOutAtTheDeadline() {
        peer(out -> settings(out));
        long start = System.nanoTime();

        assertThatThrownBy(() -> call(500))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("timed out waiting for etcd at " + endpoint);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aMessageCutByTheTrailersIsAnError() {
        peer(out -> {
            settings(out);
            frame(out, HEADERS, 0x4, 1, headers(":status", "200"));
            frame(out, DATA, 0, 1, Arrays.copyOf(grpcMessage(new byte[100]), 50));
            frame(out, HEADERS, 0x5, 1, headers("grpc-status", "0"));
        });

        assertThatThrownBy(() -> call(10_000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended in the middle of a message");
    }
}
