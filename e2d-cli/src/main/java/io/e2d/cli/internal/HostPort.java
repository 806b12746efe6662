package io.e2d.cli.internal;

import java.util.Objects;

/**
 * A {@code host[:port]} address as given to {@code --client-addr} and friends. An empty host means
 * {@code 127.0.0.1}; a port of 0 means "the default port of this flag" ({@link #withDefaultPort}). IPv6
 * hosts are written in brackets: {@code [::1]:2379}.
 *
 * @param host a host name or IP literal, without brackets
 * @param port 0 to 65535
 */
public record HostPort(String host, int port) {

    /** The wildcard address, replaced by {@code --host} or the detected address when advertised. */
    public static final String WILDCARD = "0.0.0.0";

    /** Validates the parts. */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code host}, {@code :port} or {@code [v6]:port}; an {@code http://} or
     * {@code https://} prefix is dropped.
     *
     * @throws IllegalArgumentException with a message that shows the expected form
     */
    public static HostPort parse(String text) {
        String s = text.strip();
        if (s.startsWith("http://")) {
            s = s.substring("http://".length());
        } else if (s.startsWith("https://")) {
            s = s.substring("https://".length());
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw invalid(text, "missing ']' after the IPv6 address");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "expected ':' after ']'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw invalid(text, "write IPv6 addresses in brackets, e.g. [::1]:2379");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.contains("/") || host.contains(",") || host.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(text, "the host contains '/', ',' or a space");
        }
        int portNumber = 0;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw invalid(text, "the port \"" + port + "\" is not a number");
            }
            if (portNumber < 0 || portNumber > 65535) {
                throw invalid(text, "the port must be 0 to 65535");
            }
        }
        return new HostPort(host.isEmpty() ? "127.0.0.1" : host, portNumber);
    }

    /** This address with {@code port} when its own port is 0. */
    public HostPort withDefaultPort(int defaultPort) {
        return port == 0 ? new HostPort(host, defaultPort) : this;
    }

    /** Whether the host is {@code 0.0.0.0} (or {@code ::}): listen on every interface. */
    public boolean isWildcard() {
        return host.equals(WILDCARD) || host.equals("::");
    }

    /** Whether the host is a loopback name or address. */
    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** This address with another host. */
    public HostPort withHost(String newHost) {
        return new HostPort(newHost, port);
    }

    /** {@code scheme://host:port}, with brackets around an IPv6 host. */
    public String toUrl(String scheme) {
        return scheme + "://" + this;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException(
                "invalid address \"" + text + "\": " + why + "; expected host:port, e.g. 127.0.0.1:2379");
    }
}
