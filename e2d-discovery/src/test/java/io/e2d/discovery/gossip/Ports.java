package io.e2d.discovery.gossip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports, free for both TCP and UDP (atomix uses both on the same number). */
final class Ports {
    private Ports() {}

    static int free() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp =
                        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot find a free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP on 127.0.0.1 after 50 tries");
    }
}
