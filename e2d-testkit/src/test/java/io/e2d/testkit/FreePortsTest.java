package io.e2d.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FreePortsTest {

    @Test
    void portsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int port : FreePorts.tcp(3 * FreePorts.BLOCK)) {
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            assertThat(port).isBetween(1024, FreePorts.ephemeralStart() - 1);
        }
        int both = FreePorts.tcpAndUdp();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), both);
        try (ServerSocket tcp = new ServerSocket();
                DatagramSocket udp = new DatagramSocket(address)) {
            tcp.bind(address);
            assertThat(tcp.getLocalPort()).isEqualTo(udp.getLocalPort());
        }
    }

    @Test
    void aPortBoundBySomeoneElseIsSkipped() throws Exception {
        int port = FreePorts.tcp();
        // Bind the next few candidates of the current block; none of them may come out.
        Set<Integer> bound = new HashSet<>();
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int p = port + 1; p < port + 4; p++) {
                try {
                    ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress());
                    sockets.add(s);
                    bound.add(p);
                } catch (IOException alreadyTaken) {
                    // someone else's: skipped anyway
                }
            }
            for (int i = 0; i < 4; i++) {
                assertThat(bound).doesNotContain(FreePorts.tcp());
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void anotherJvmsBlockIsLockedAgainstThisOne() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), FreePortsChild.class.getName())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int childPort = Integer.parseInt(out.readLine().trim());
            int blockStart = childPort - (childPort - 15_000) % FreePorts.BLOCK;
            Path lockFile =
                    Path.of(System.getProperty("java.io.tmpdir"), "e2d-test-ports", "block-" + blockStart + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                assertThat(lock)
                        .as("the child JVM holds the lock of block %d", blockStart)
                        .isNull();
            }
            for (int port : FreePorts.tcp(2 * FreePorts.BLOCK)) {
                assertThat(port < blockStart || port >= blockStart + FreePorts.BLOCK)
                        .as("port %d is in the child's block %d", port, blockStart)
                        .isTrue();
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
    }
}
