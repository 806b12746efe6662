package io.e2d.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers a test starts itself, such as etcd, that bind a port some time after it was
 * chosen.
 *
 * <p>{@code new ServerSocket(0)} is not safe for that: the kernel gives a port of its ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 by default), free at that instant, and any
 * outgoing connection of any process, or another test JVM, can take it before the server binds it. Ports
 * from here are below the ephemeral range, so no outgoing connection ever gets them, and come from blocks
 * of {@value #BLOCK} ports that each JVM claims with a file lock under {@code java.io.tmpdir}, so two test
 * JVMs (parallel forks, two builds on one machine) never hand out the same port. The lock goes with the
 * JVM. Within a JVM a port is handed out once; it is checked to be bindable on 127.0.0.1 first.
 */
public final class FreePorts {
    /** Ports per claimed block. */
    static final int BLOCK = 64;

    private static final int LOWEST = 15_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final Path LOCK_DIR = Path.of(System.getProperty("java.io.tmpdir"), "e2d-test-ports");

    private static final Object MUTEX = new Object();
    /** Claimed blocks' locks, held (never released) until the JVM exits. */
    private static final List<FileLock> HELD = new ArrayList<>();

    private static int next;
    private static int end;

    private FreePorts() {}

    /** A port on 127.0.0.1 that is free for TCP and that this JVM has not handed out before. */
    public static int tcp() {
        return take(false);
    }

    /** A port free for both TCP and UDP on 127.0.0.1 (atomix gossip binds both on one number). */
    public static int tcpAndUdp() {
        return take(true);
    }

    /** {@code count} distinct ports, each as {@link #tcp()}. */
    public static int[] tcp(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = tcp();
        }
        return ports;
    }

    private static int take(boolean udpToo) {
        synchronized (MUTEX) {
            int claimed = 0;
            while (true) {
                if (next >= end) {
                    if (++claimed > 8) {
                        throw new IllegalStateException("no bindable port in 8 claimed blocks of " + BLOCK
                                + " ports on 127.0.0.1; is something binding ports " + LOWEST + "-"
                                + ephemeralStart() + " en masse?");
                    }
                    claimBlock();
                }
                int port = next++;
                if (bindable(port, udpToo)) {
                    return port;
                }
            }
        }
    }

    private static void claimBlock() {
        int blocks = (ephemeralStart() - LOWEST) / BLOCK;
        int first = ThreadLocalRandom.current().nextInt(blocks);
        try {
            Files.createDirectories(LOCK_DIR);
            for (int i = 0; i < blocks; i++) {
                int start = LOWEST + ((first + i) % blocks) * BLOCK;
                FileChannel channel = FileChannel.open(
                        LOCK_DIR.resolve("block-" + start + ".lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock = null;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException mine) {
                    // already claimed by this JVM
                }
                if (lock == null) {
                    channel.close();
                    continue;
                }
                HELD.add(lock);
                next = start;
                end = start + BLOCK;
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot claim a port block under " + LOCK_DIR + "; check that java.io.tmpdir is writable", e);
        }
        throw new IllegalStateException("every port block " + LOWEST + "-" + ephemeralStart()
                + " is claimed by other JVMs (locks in " + LOCK_DIR + ")");
    }

    private static boolean bindable(int port, boolean udpToo) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(address);
            if (udpToo) {
                new DatagramSocket(address).close();
            }
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range, or 32768; never so low that fewer than 16 blocks fit. */
    static int ephemeralStart() {
        int start = DEFAULT_EPHEMERAL_START;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            start = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            // not Linux, or unreadable: keep the common default
        }
        return Math.max(start, LOWEST + 16 * BLOCK);
    }
}
