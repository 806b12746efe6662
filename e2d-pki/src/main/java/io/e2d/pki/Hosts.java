package io.e2d.pki;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host names and addresses that go into server and peer certificates as subject alternative names.
 *
 * <p>IP literals become IP SANs, everything else DNS SANs. {@link #withDefaults} adds what every node needs
 * ({@code 127.0.0.1}, {@code localhost} and the detected host address) and removes duplicates, comparing
 * IPs by address ({@code ::1} equals {@code 0:0:0:0:0:0:0:1}) and names case-insensitively. Go e2d meant to
 * de-duplicate too but did not. Stateless and thread-safe.
 *
 * <pre>{@code
 * List<String> sans = Hosts.withDefaults(List.of("etcd-0.example.com", "10.0.0.5"));
 * // [etcd-0.example.com, 10.0.0.5, 127.0.0.1, localhost, <host address>]
 * }</pre>
 */
public final class Hosts {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    private Hosts() {}

    /**
     * The given hosts, then {@code 127.0.0.1}, {@code localhost} and the detected host address (if any), in
     * that order, normalised and without duplicates.
     *
     * @throws PkiException if a host is neither an IP address nor a valid DNS name
     */
    public static List<String> withDefaults(Collection<String> hosts) {
        List<String> all = new ArrayList<>(hosts);
        all.add("127.0.0.1");
        all.add("localhost");
        detectHostAddress().ifPresent(all::add);
        return normalize(all);
    }

    /**
     * The hosts normalised (trimmed; IPs in canonical form; names lower-case without a trailing dot), without
     * duplicates and blanks, in their first-seen order.
     *
     * @throws PkiException if a host is neither an IP address nor a valid DNS name
     */
    public static List<String> normalize(Collection<String> hosts) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : hosts) {
            String h = raw.trim();
            if (h.isEmpty()) {
                continue;
            }
            Optional<InetAddress> ip = parseIp(h);
            if (ip.isPresent()) {
                out.add(ip.get().getHostAddress());
                continue;
            }
            String name = h.toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.length() > 253 || !DNS_NAME.matcher(name).matches()) {
                throw new PkiException("host '" + raw + "' is neither an IP address nor a valid DNS name;"
                        + " pass IPs like 10.0.0.5 or names like etcd-0.example.com");
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    /**
     * Whether {@code host} is an IPv4 or IPv6 literal (never resolves names).
     */
    public static boolean isIpAddress(String host) {
        return parseIp(host.trim()).isPresent();
    }

    /**
     * The first non-loopback, non-link-local IPv4 address of an interface that is up (interfaces in index
     * order), as Go e2d detects the host address. Empty when there is none.
     */
    public static Optional<String> detectHostAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(Hosts::isUsable)
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .map(InetAddress::getHostAddress)
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    static Optional<InetAddress> parseIp(String h) {
        String s = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        boolean literal = IPV4.matcher(s).matches() || (s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+"));
        if (!literal) {
            return Optional.empty();
        }
        try {
            // A literal: getByName parses it without any lookup.
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isUsable(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
