package io.e2d.discovery;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * The gossip address of a peer: a host name or IP literal and a port.
 *
 * <p>{@link #parse(String, int)} accepts {@code host}, {@code host:port}, {@code [ipv6]},
 * {@code [ipv6]:port}, a bare IPv6 literal, and strips an {@code http://} or {@code https://} prefix as Go
 * e2d did. Unlike Go e2d, the port is optional.
 *
 * <pre>{@code
 * PeerAddress a = PeerAddress.parse("10.0.2.15", PeerAddress.DEFAULT_GOSSIP_PORT); // 10.0.2.15:7980
 * }</pre>
 *
 * @param host a host name or an IP literal, without brackets
 * @param port 1 to 65535
 */
public record PeerAddress(String host, int port) implements Comparable<PeerAddress> {
    /** e2d's gossip port: {@value}. */
    public static final int DEFAULT_GOSSIP_PORT = 7980;

    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.contains("[") || host.contains("]") || host.contains("/")) {
            throw new InvalidDiscoverySpecException(
                    "peer host must be a host name or an IP literal without brackets, got '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidDiscoverySpecException(
                    "peer port must be between 1 and 65535, got " + port + " for host " + host);
        }
    }

    /**
     * Parses one address; {@code defaultPort} is used when the text has none.
     *
     * @throws InvalidDiscoverySpecException when the text is empty or the port is not a number in range
     */
    public static PeerAddress parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://")) {
            s = s.substring("http://".length());
        } else if (lower.startsWith("https://")) {
            s = s.substring("https://".length());
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw new InvalidDiscoverySpecException(
                    "a peer address must be host[:port], got an empty entry in '" + text + "'");
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new InvalidDiscoverySpecException(
                        "an IPv6 peer address must be [address]:port, got '" + text + "'");
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new PeerAddress(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new InvalidDiscoverySpecException(
                        "an IPv6 peer address must be [address]:port, got '" + text + "'");
            }
            return new PeerAddress(host, port(rest.substring(1), text));
        }
        int first = s.indexOf(':');
        if (first < 0) {
            return new PeerAddress(s, defaultPort);
        }
        if (s.indexOf(':', first + 1) >= 0) {
            // Several colons and no brackets: a bare IPv6 literal without a port.
            return new PeerAddress(s, defaultPort);
        }
        return new PeerAddress(s.substring(0, first), port(s.substring(first + 1), text));
    }

    private static int port(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InvalidDiscoverySpecException(
                    "a peer address must be host[:port] with a numeric port, got '" + text + "'");
        }
    }

    /** An unresolved socket address for this peer. */
    public InetSocketAddress toSocketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public int compareTo(PeerAddress other) {
        int c = host.compareTo(other.host);
        return c != 0 ? c : Integer.compare(port, other.port);
    }

    /** {@code host:port}, or {@code [host]:port} for an IPv6 literal. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
