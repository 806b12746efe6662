package io.e2d.discovery.internal.dns;

import io.e2d.discovery.DiscoveryApiException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.DiscoverySpec;
import io.e2d.discovery.InvalidDiscoverySpecException;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.internal.Addresses;
import io.e2d.discovery.internal.BaseDiscovery;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * {@code dns:name[:port]}: the A and AAAA records of {@code name} with the default (or given) port, or, when
 * the name starts with {@code _} (e.g. {@code _gossip._tcp.e2d.default.svc.cluster.local}), its SRV records
 * with their ports. Suits a Kubernetes headless service. A name that does not exist gives no peers; the
 * addresses of this host's interfaces and non-routable ones are dropped.
 */
public final class DnsDiscovery extends BaseDiscovery {
    public static final String METHOD = "dns";

    private final String name;
    private final int port;

    public DnsDiscovery(DiscoverySpec spec, DiscoveryOptions options) {
        super(spec, options);
        String arg = spec.argument();
        if (arg.isEmpty() || arg.contains(",") || arg.contains(" ")) {
            throw new InvalidDiscoverySpecException(
                    "--peer-discovery dns needs one name, e.g. dns:e2d.default.svc.cluster.local or"
                            + " dns:_gossip._tcp.e2d.default.svc.cluster.local, got '" + arg + "'");
        }
        PeerAddress parsed = PeerAddress.parse(arg, options.defaultPort());
        this.name = parsed.host();
        this.port = parsed.port();
    }

    @Override
    public List<PeerAddress> discover() {
        DirContext ctx = context();
        try {
            Set<PeerAddress> out = new TreeSet<>();
            Set<String> local = localAddresses();
            if (name.startsWith("_")) {
                for (String srv : records(ctx, name, "SRV")) {
                    // priority weight port target
                    String[] f = srv.strip().split("\\s+");
                    if (f.length != 4) {
                        continue;
                    }
                    int srvPort = Integer.parseInt(f[2]);
                    String target = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
                    out.addAll(hostAddresses(ctx, target, srvPort, local));
                }
            } else {
                out.addAll(hostAddresses(ctx, name, port, local));
            }
            return List.copyOf(out);
        } finally {
            try {
                ctx.close();
            } catch (NamingException ignored) {
                // nothing held
            }
        }
    }

    private List<PeerAddress> hostAddresses(DirContext ctx, String host, int p, Set<String> local) {
        List<String> ips = new ArrayList<>(records(ctx, host, "A"));
        ips.addAll(records(ctx, host, "AAAA"));
        List<String> others = new ArrayList<>();
        for (String ip : ips) {
            String literal =
                    Addresses.routable(ip).map(InetAddress::getHostAddress).orElse(ip);
            if (!local.contains(literal)) {
                others.add(ip);
            }
        }
        return Addresses.peers(METHOD, others, p);
    }

    private List<String> records(DirContext ctx, String host, String type) {
        try {
            Attribute attribute = ctx.getAttributes(host, new String[] {type}).get(type);
            if (attribute == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            NamingEnumeration<?> values = attribute.getAll();
            while (values.hasMore()) {
                out.add(String.valueOf(values.next()));
            }
            return out;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new DiscoveryApiException(
                    METHOD,
                    0,
                    e.getClass().getSimpleName(),
                    METHOD + ": " + type + " lookup of " + host + " failed: " + e.getExplanation()
                            + "; check the name and the DNS server"
                            + options.dnsServer().map(s -> " " + s).orElse(""),
                    e);
        }
    }

    private DirContext context() {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(
                DirContext.PROVIDER_URL,
                options.dnsServer().map(s -> "dns://" + s + "/").orElse("dns:"));
        // JNDI doubles the timeout on each retry: initial + 2x = about the configured timeout in total.
        long initialMillis = Math.max(100, options.timeout().toMillis() / 3);
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(initialMillis));
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        try {
            return new InitialDirContext(env);
        } catch (NamingException e) {
            throw new DiscoveryApiException(
                    METHOD, 0, null, METHOD + ": cannot set up a DNS resolver: " + e.getExplanation(), e);
        }
    }

    private static Set<String> localAddresses() {
        Set<String> out = new HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    String s = a.getHostAddress();
                    int zone = s.indexOf('%');
                    out.add(zone < 0 ? s : s.substring(0, zone));
                }
            }
        } catch (SocketException e) {
            // Without the list, nothing is excluded; gossip ignores a seed that is this node.
        }
        return out;
    }
}
