package io.e2d.snapshot.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/2 connection to an etcd member that speaks just enough gRPC for a snapshot: calls that send
 * one request message and receive response messages as they arrive, one call at a time, on the calling
 * thread.
 *
 * <p>Why not jetcd: in a new JVM, jetcd's gRPC/netty stack loads thousands of classes and keeps the JIT
 * busy for seconds, which made a one-shot {@code e2d snapshot save} of 330 MB take 2.8x as long as
 * {@code etcdctl snapshot save} on 2 cores. Here the hot loop is a socket read and an array copy.
 *
 * <p>Protocol (RFC 9113, gRPC over HTTP/2): prior knowledge on http, ALPN {@code h2} on https (the
 * server's name or IP is verified against its certificate). The receive windows are opened to 1 GiB and
 * topped up as messages are consumed, so etcd is never throttled by flow control, while memory stays
 * bounded by one frame and one message: the caller's handler consumes each message before the next
 * frame is read, and TCP holds etcd back while it does. Response header blocks are decoded with netty's
 * HPACK decoder; requests use literal headers only. PING and SETTINGS are acknowledged; GOAWAY,
 * RST_STREAM, a non-200 status and a non-zero {@code grpc-status} fail the call with etcd's message.
 *
 * <p>Not thread-safe.
 */
public final class GrpcConnection implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PUSH_PROMISE = 0x5;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int CONTINUATION = 0x9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int SETTINGS_ENABLE_PUSH = 0x2;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    /** SETTINGS_MAX_FRAME_SIZE: the protocol's default, which this client never raises. */
    private static final int MAX_FRAME = 16_384;
    /** The receive window of the connection and of each stream. */
    private static final int WINDOW = 1 << 30;

    private static final int DEFAULT_WINDOW = 65_535;
    /** The largest response message accepted; etcd's snapshot messages are 32 KiB. */
    private static final int MAX_MESSAGE = 16 << 20;

    private static final int MAX_HEADER_BLOCK = 64 << 10;
    private static final Duration REARM = Duration.ofSeconds(1);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String endpoint;
    private final String scheme;
    private final String authority;
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
    private final byte[] frame = new byte[MAX_FRAME];
    private int nextStream = 1;
    private boolean serverSettingsSeen;
    private long unacknowledged;

    /** Receives each response message; the array is reused once the handler returns. */
    @FunctionalInterface
    public interface MessageHandler {
        void message(byte[] buffer, int offset, int length) throws IOException;
    }

    private GrpcConnection(Socket socket, URI endpoint) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 << 10));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 4 << 10);
        this.endpoint = endpoint.toString();
        this.scheme = endpoint.getScheme();
        this.authority = endpoint.getHost() + ":" + port(endpoint);
    }

    /**
     * Connects to {@code endpoint} ({@code http://host:port} or {@code https://host:port}) and sends the
     * HTTP/2 preface.
     *
     * @param tls the TLS context for https endpoints (the server's certificate and name are verified)
     * @param deadline {@link System#nanoTime()} by which the connection and TLS handshake must be done
     * @throws IOException naming the endpoint, if it cannot be reached or the TLS handshake fails
     */
    public static GrpcConnection open(URI endpoint, Optional<SSLContext> tls, long deadline) throws IOException {
        boolean https = "https".equals(endpoint.getScheme());
        if (!https && !"http".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new IllegalArgumentException(
                    "etcd endpoint must be http://host:port or https://host:port, got " + endpoint);
        }
        if (https && tls.isEmpty()) {
            throw new IllegalArgumentException("https endpoint " + endpoint + " needs a TLS context");
        }
        String host = endpoint.getHost().startsWith("[")
                ? endpoint.getHost().substring(1, endpoint.getHost().length() - 1)
                : endpoint.getHost();
        int port = port(endpoint);
        Socket raw = new Socket();
        Socket socket = raw;
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(host, port), timeoutMillis(deadline, endpoint, "connect"));
            if (https) {
                SSLSocket ssl = (SSLSocket) tls.orElseThrow().getSocketFactory().createSocket(raw, host, port, true);
                socket = ssl;
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setApplicationProtocols(new String[] {"h2"});
                ssl.setSSLParameters(p);
                ssl.setSoTimeout(timeoutMillis(deadline, endpoint, "finish the TLS handshake"));
                ssl.startHandshake();
            }
            GrpcConnection c = new GrpcConnection(socket, endpoint);
            c.start();
            return c;
        } catch (SSLException e) {
            closeQuietly(socket);
            throw new IOException(
                    "TLS handshake with etcd at " + endpoint + " failed: " + e.getMessage()
                            + "; check that the CA certificate is the one of etcd's server certificate, that the endpoint's"
                            + " host is in its SANs, and the client certificate if etcd requires one",
                    e);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new IOException("etcd at " + endpoint + " did not answer in time", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            String why = e instanceof java.net.ConnectException
                    ? "connection refused; check that etcd listens there"
                    : e instanceof java.net.UnknownHostException ? "unknown host " + host : e.toString();
            throw new IOException("cannot connect to etcd at " + endpoint + ": " + why, e);
        }
    }

    private static int port(URI endpoint) {
        return endpoint.getPort() == -1 ? 2379 : endpoint.getPort();
    }

    private void start() throws IOException {
        out.write(PREFACE);
        byte[] settings = new byte[12];
        putSetting(settings, 0, SETTINGS_ENABLE_PUSH, 0);
        putSetting(settings, 6, SETTINGS_INITIAL_WINDOW_SIZE, WINDOW);
        writeFrame(SETTINGS, 0, 0, settings, settings.length);
        writeWindowUpdate(0, WINDOW - DEFAULT_WINDOW);
    }

    /**
     * Calls {@code method} (e.g. {@code /etcdserverpb.KV/Range}) with one request message and hands each
     * response message to {@code handler} as it is complete; returns once etcd ended the call with gRPC
     * status OK.
     *
     * @param deadline {@link System#nanoTime()} by which the whole call must be done
     * @throws IOException if the connection fails, the deadline passes, the handler throws, or etcd
     *     ends the call with an error (its gRPC status and message are in the exception's message)
     */
    public void call(String method, byte[] request, MessageHandler handler, long deadline) throws IOException {
        int stream = nextStream;
        nextStream += 2;
        ByteArrayOutputStream block = new ByteArrayOutputStream(256);
        literal(block, ":method", "POST");
        literal(block, ":scheme", scheme);
        literal(block, ":path", method);
        literal(block, ":authority", authority);
        literal(block, "content-type", "application/grpc");
        literal(block, "te", "trailers");
        literal(block, "grpc-timeout", grpcTimeout(deadline));
        byte[] headers = block.toByteArray();
        if (headers.length > MAX_FRAME) {
            throw new IllegalArgumentException("request headers too long: " + method);
        }
        writeFrame(HEADERS, END_HEADERS, stream, headers, headers.length);
        byte[] message = new byte[5 + request.length];
        putInt(message, 1, request.length);
        System.arraycopy(request, 0, message, 5, request.length);
        writeFrame(DATA, END_STREAM, stream, message, message.length);
        out.flush();
        new Call(stream, method, handler, deadline).run();
    }

    /** The receive side of one call: frames in, messages out, until the trailers. */
    private final class Call {
        private final int stream;
        private final String method;
        private final MessageHandler handler;
        private final long deadline;
        private final byte[] prefix = new byte[5];
        private int prefixRead;
        private byte[] message = new byte[64 << 10];
        private int messageLength = -1;
        private int messageRead;
        private boolean headersSeen;
        private @Nullable ByteArrayOutputStream pendingBlock;
        private int pendingFlags;
        private int pendingStream;
        /** When the socket's read timeout is next brought down to what is left of the deadline. */
        private long rearmAt = System.nanoTime();

        Call(int stream, String method, MessageHandler handler, long deadline) {
            this.stream = stream;
            this.method = method;
            this.handler = handler;
            this.deadline = deadline;
        }

        void run() throws IOException {
            while (true) {
                int length;
                int type;
                int flags;
                int id;
                try {
                    armTimeout();
                    length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                    type = in.readUnsignedByte();
                    flags = in.readUnsignedByte();
                    id = in.readInt() & 0x7fff_ffff;
                    if (length > MAX_FRAME) {
                        throw protocol(
                                serverSettingsSeen
                                        ? "a frame of " + length + " bytes, more than the " + MAX_FRAME + " allowed"
                                        : "something that is not HTTP/2 (if etcd serves TLS, use an https:// endpoint)");
                    }
                    in.readFully(frame, 0, length);
                } catch (SocketTimeoutException e) {
                    throw new IOException("timed out waiting for etcd at " + endpoint + " to finish " + method, e);
                } catch (EOFException e) {
                    throw new IOException(
                            "etcd at " + endpoint + " closed the connection during " + method
                                    + (serverSettingsSeen ? "" : " (if etcd serves TLS, use an https:// endpoint)"),
                            e);
                } catch (SSLException e) {
                    throw new IOException(
                            "etcd at " + endpoint + " ended the TLS session during " + method + ": " + e.getMessage()
                                    + " (etcd refuses client certificates its CA did not sign; check the client"
                                    + " certificate and key)",
                            e);
                } catch (IOException e) {
                    throw new IOException(
                            "the connection to etcd at " + endpoint + " failed during " + method + ": " + e, e);
                }
                if (!serverSettingsSeen && type != SETTINGS) {
                    throw protocol("something that is not HTTP/2 (if etcd serves TLS, use an https:// endpoint)");
                }
                if (pendingBlock != null && type != CONTINUATION) {
                    throw protocol("a header block cut by another frame");
                }
                if (frame(type, flags, id, length)) {
                    return;
                }
            }
        }

        /**
         * Bounds the next read by what is left until the deadline, re-arming the socket timeout at most
         * every {@link #REARM} (a syscall per 16 KiB frame would cost more than the frame): a read may
         * outlast the deadline by that much at most.
         */
        private void armTimeout() throws IOException {
            long now = System.nanoTime();
            if (now - rearmAt >= 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - now);
                if (left <= 0) {
                    throw new SocketTimeoutException("deadline passed");
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                rearmAt = now + REARM.toNanos();
            }
        }

        /** Handles one frame; true once the call is over. */
        private boolean frame(int type, int flags, int id, int length) throws IOException {
            switch (type) {
                case DATA -> {
                    consumed(length);
                    if (id != stream) {
                        return false;
                    }
                    int start = 0;
                    int end = length;
                    if ((flags & PADDED) != 0) {
                        start = 1;
                        end = length - (frame[0] & 0xff);
                        if (end < start) {
                            throw protocol("a DATA frame with more padding than data");
                        }
                    }
                    data(start, end);
                    if ((flags & END_STREAM) != 0) {
                        throw protocol(method + " ended without a gRPC status");
                    }
                    return false;
                }
                case HEADERS -> {
                    int start = 0;
                    int end = length;
                    if ((flags & PADDED) != 0) {
                        start = 1;
                        end = length - (frame[0] & 0xff);
                    }
                    if ((flags & PRIORITY) != 0) {
                        start += 5;
                    }
                    if (end < start) {
                        throw protocol("a malformed HEADERS frame");
                    }
                    pendingBlock = new ByteArrayOutputStream(Math.max(64, end - start));
                    pendingBlock.write(frame, start, end - start);
                    pendingFlags = flags;
                    pendingStream = id;
                    return (flags & END_HEADERS) != 0 && headerBlock();
                }
                case CONTINUATION -> {
                    ByteArrayOutputStream block = pendingBlock;
                    if (block == null || id != pendingStream) {
                        throw protocol("a CONTINUATION frame without HEADERS");
                    }
                    if (block.size() + length > MAX_HEADER_BLOCK) {
                        throw protocol("a header block larger than " + MAX_HEADER_BLOCK + " bytes");
                    }
                    block.write(frame, 0, length);
                    return (flags & END_HEADERS) != 0 && headerBlock();
                }
                case SETTINGS -> {
                    if ((flags & ACK) == 0) {
                        serverSettingsSeen = true;
                        writeFrame(SETTINGS, ACK, 0, frame, 0);
                        out.flush();
                    }
                    return false;
                }
                case PING -> {
                    if ((flags & ACK) == 0 && length == 8) {
                        writeFrame(PING, ACK, 0, frame, 8);
                        out.flush();
                    }
                    return false;
                }
                case RST_STREAM -> {
                    if (id == stream) {
                        throw new IOException("etcd at " + endpoint + " reset " + method + " (HTTP/2 error "
                                + errorName(length >= 4 ? getInt(frame, 0) : -1) + ")");
                    }
                    return false;
                }
                case GOAWAY -> {
                    int last = length >= 4 ? getInt(frame, 0) & 0x7fff_ffff : 0;
                    int code = length >= 8 ? getInt(frame, 4) : 0;
                    if (code != 0 || last < stream) {
                        String debug = length > 8 ? ": " + new String(frame, 8, length - 8, UTF_8) : "";
                        throw new IOException("etcd at " + endpoint + " closed the connection during " + method
                                + " (HTTP/2 GOAWAY " + errorName(code) + debug + ")");
                    }
                    return false;
                }
                case PUSH_PROMISE -> throw protocol("a PUSH_PROMISE, which this client disabled");
                default -> {
                    // WINDOW_UPDATE (this client sends a few bytes only), PRIORITY, unknown types: ignored
                    return false;
                }
            }
        }

        /** Reassembles gRPC messages (1-byte flag, 4-byte length, body) from the bytes of DATA frames. */
        private void data(int start, int end) throws IOException {
            int at = start;
            while (at < end) {
                if (messageLength < 0) {
                    int n = Math.min(5 - prefixRead, end - at);
                    System.arraycopy(frame, at, prefix, prefixRead, n);
                    prefixRead += n;
                    at += n;
                    if (prefixRead < 5) {
                        return;
                    }
                    if (prefix[0] != 0) {
                        throw protocol("a compressed gRPC message, which this client did not ask for");
                    }
                    messageLength = getInt(prefix, 1);
                    if (messageLength < 0 || messageLength > MAX_MESSAGE) {
                        throw protocol("a gRPC message of " + Integer.toUnsignedString(messageLength) + " bytes");
                    }
                    if (message.length < messageLength) {
                        message = new byte[messageLength];
                    }
                    messageRead = 0;
                }
                int n = Math.min(messageLength - messageRead, end - at);
                System.arraycopy(frame, at, message, messageRead, n);
                messageRead += n;
                at += n;
                if (messageRead == messageLength) {
                    handler.message(message, 0, messageLength);
                    messageLength = -1;
                    prefixRead = 0;
                }
            }
        }

        /** Decodes the completed header block (always: HPACK state is per connection); true once the call is over. */
        private boolean headerBlock() throws IOException {
            ByteArrayOutputStream block = java.util.Objects.requireNonNull(pendingBlock);
            pendingBlock = null;
            Http2Headers headers;
            try {
                headers = hpack.decodeHeaders(pendingStream, Unpooled.wrappedBuffer(block.toByteArray()));
            } catch (Http2Exception e) {
                throw protocol("headers it could not decode (" + e.getMessage() + ")");
            }
            if (pendingStream != stream) {
                return false;
            }
            boolean end = (pendingFlags & END_STREAM) != 0;
            if (!headersSeen) {
                headersSeen = true;
                CharSequence status = headers.status();
                if (status == null || !"200".contentEquals(status)) {
                    throw new IOException("etcd at " + endpoint + " answered " + method + " with HTTP status " + status
                            + (end ? grpcError(headers) : ""));
                }
                if (!end) {
                    return false;
                }
            } else if (!end) {
                throw protocol("a second header block that does not end " + method);
            }
            if (messageLength >= 0 || prefixRead > 0) {
                throw protocol(method + " ended in the middle of a message");
            }
            CharSequence grpcStatus = headers.get("grpc-status");
            if (grpcStatus == null || !"0".contentEquals(grpcStatus)) {
                throw new IOException("etcd at " + endpoint + " failed " + method + grpcError(headers));
            }
            return true;
        }

        private IOException protocol(String what) {
            return new IOException("etcd at " + endpoint + " sent " + what);
        }
    }

    /** ": CODE: message" from the gRPC status headers. */
    private static String grpcError(Http2Headers headers) {
        CharSequence status = headers.get("grpc-status");
        CharSequence message = headers.get("grpc-message");
        String code = status == null ? "no gRPC status" : grpcCodeName(status.toString());
        String text = message == null
                ? ""
                : ": " + URLDecoder.decode(message.toString().replace("+", "%2B"), UTF_8);
        return ": " + code + text;
    }

    private static String grpcCodeName(String status) {
        String[] names = {
            "OK",
            "CANCELLED",
            "UNKNOWN",
            "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED",
            "NOT_FOUND",
            "ALREADY_EXISTS",
            "PERMISSION_DENIED",
            "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION",
            "ABORTED",
            "OUT_OF_RANGE",
            "UNIMPLEMENTED",
            "INTERNAL",
            "UNAVAILABLE",
            "DATA_LOSS",
            "UNAUTHENTICATED"
        };
        try {
            int code = Integer.parseInt(status);
            return code >= 0 && code < names.length ? names[code] : "gRPC status " + code;
        } catch (NumberFormatException e) {
            return "gRPC status " + status;
        }
    }

    private static String errorName(int code) {
        String[] names = {
            "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
            "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
            "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"
        };
        return code >= 0 && code < names.length ? names[code] : "0x" + Integer.toHexString(code);
    }

    /** Counts received DATA bytes and reopens both windows once half of them is used. */
    private void consumed(int length) throws IOException {
        unacknowledged += length;
        if (unacknowledged >= WINDOW / 2) {
            writeWindowUpdate(0, (int) unacknowledged);
            writeWindowUpdate(nextStream - 2, (int) unacknowledged);
            out.flush();
            unacknowledged = 0;
        }
    }

    private void writeWindowUpdate(int stream, int increment) throws IOException {
        byte[] payload = new byte[4];
        putInt(payload, 0, increment);
        writeFrame(WINDOW_UPDATE, 0, stream, payload, 4);
    }

    private void writeFrame(int type, int flags, int stream, byte[] payload, int length) throws IOException {
        byte[] header = new byte[9];
        header[0] = (byte) (length >>> 16);
        header[1] = (byte) (length >>> 8);
        header[2] = (byte) length;
        header[3] = (byte) type;
        header[4] = (byte) flags;
        putInt(header, 5, stream);
        out.write(header);
        out.write(payload, 0, length);
    }

    /** An HPACK literal header field without indexing, new name, no Huffman coding (RFC 7541 §6.2.2). */
    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0);
        hpackString(block, name.getBytes(US_ASCII));
        hpackString(block, value.getBytes(US_ASCII));
    }

    private static void hpackString(ByteArrayOutputStream block, byte[] bytes) {
        // 7-bit prefix integer (RFC 7541 §5.1), Huffman flag clear
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.writeBytes(bytes);
    }

    /** The gRPC timeout header for what is left until {@code deadline}: at most 8 digits and a unit. */
    private static String grpcTimeout(long deadline) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        return millis < 100_000_000L ? millis + "m" : Math.min(millis / 1000, 99_999_999L) + "S";
    }

    /** Milliseconds left until {@code deadline} for a socket timeout (never 0, which means forever). */
    private static int timeoutMillis(long deadline, URI endpoint, String what) throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("timed out before etcd at " + endpoint + " could " + what);
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static void putSetting(byte[] b, int at, int id, int value) {
        b[at] = (byte) (id >>> 8);
        b[at + 1] = (byte) id;
        putInt(b, at + 2, value);
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was sent that needs an orderly close
        }
    }

    /** Closes the socket; a call in progress on etcd is cancelled with it. */
    @Override
    public void close() {
        closeQuietly(socket);
    }
}
