package io.e2d.discovery.internal;

import io.e2d.discovery.PeerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Filtering of discovered IPs shared by the cloud and DNS providers. */
public final class Addresses {
    private static final Logger LOG = LoggerFactory.getLogger(Addresses.class);

    private Addresses() {}

    /**
     * The address as a literal when another host could reach it: not loopback, wildcard, link-local or
     * multicast, and a valid IP literal (host names are not accepted here).
     */
    public static Optional<InetAddress> routable(@Nullable String ip) {
        if (ip == null || ip.isBlank()) {
            return Optional.empty();
        }
        String s = ip.strip();
        if (!s.matches("[0-9a-fA-F:.%]+") || (!s.contains(".") && !s.contains(":"))) {
            return Optional.empty();
        }
        try {
            // A literal: getByName does no lookup.
            InetAddress a = InetAddress.getByName(s);
            boolean bad =
                    a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress();
            return bad ? Optional.empty() : Optional.of(a);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Distinct, sorted peer addresses of the routable IPs; the others are logged at debug level. */
    public static List<PeerAddress> peers(String method, Collection<String> ips, int port) {
        TreeSet<PeerAddress> out = new TreeSet<>();
        for (String ip : ips) {
            Optional<InetAddress> a = routable(ip);
            if (a.isPresent()) {
                out.add(new PeerAddress(a.get().getHostAddress(), port));
            } else {
                LOG.debug("{}: dropped non-routable address '{}'", method, ip);
            }
        }
        return List.copyOf(out);
    }
}
