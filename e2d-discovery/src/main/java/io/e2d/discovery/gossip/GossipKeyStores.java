package io.e2d.discovery.gossip;

import io.e2d.pki.Pem;
import io.e2d.pki.PkiException;
import io.e2d.pki.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PKCS#12 key store and trust store atomix's messaging TLS reads from files, made from {@link GossipTls}
 * PEM files after checking them: a private directory (0700) with two 0600 files, protected by a random
 * password that exists only in this object (never logged). {@link #close()} deletes them; {@link
 * AtomixMembership} does so as soon as atomix has loaded them.
 */
final class GossipKeyStores implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GossipKeyStores.class);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final Path dir;
    private final Path keyStore;
    private final Path trustStore;
    private final String password;
    private final AtomicBoolean deleted = new AtomicBoolean();

    private GossipKeyStores(Path dir, Path keyStore, Path trustStore, String password) {
        this.dir = dir;
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    /**
     * Checks the files of {@code tls} for a node advertised as {@code host} and writes the stores.
     *
     * @throws MembershipException naming the file at fault and what to do
     */
    static GossipKeyStores write(GossipTls tls, String host) {
        List<X509Certificate> chain;
        PrivateKey key;
        List<X509Certificate> cas;
        try {
            chain = Pem.readCertificates(tls.certificateFile());
            key = Pem.readPrivateKey(tls.keyFile());
            Tls.checkKeyPair(tls.certificateFile(), tls.keyFile());
            cas = Pem.readCertificates(tls.caFile());
        } catch (PkiException e) {
            throw new MembershipException("gossip TLS: " + e.getMessage(), e);
        }
        X509Certificate leaf = chain.get(0);
        checkValidity(leaf, tls.certificateFile());
        checkUsage(leaf, tls.certificateFile());
        checkSignedBy(chain, cas, tls);
        checkNames(leaf, host, tls.certificateFile());

        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path dir;
        try {
            dir = Files.createTempDirectory(
                    "e2d-gossip-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            throw new MembershipException(
                    "gossip TLS: cannot create a private temporary directory for atomix's key stores in "
                            + System.getProperty("java.io.tmpdir") + " (" + e.getMessage()
                            + "); make java.io.tmpdir a writable POSIX directory",
                    e);
        }
        GossipKeyStores stores =
                new GossipKeyStores(dir, dir.resolve("keystore.p12"), dir.resolve("truststore.p12"), password);
        try {
            char[] secret = password.toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("e2d-gossip", key, secret, chain.toArray(Certificate[]::new));
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ts.setCertificateEntry("e2d-ca-" + i, cas.get(i));
            }
            store(ks, stores.keyStore, secret);
            store(ts, stores.trustStore, secret);
        } catch (GeneralSecurityException | IOException e) {
            stores.close();
            throw new MembershipException(
                    "gossip TLS: cannot write the key stores for " + tls.certificateFile() + " and " + tls.caFile()
                            + " into " + dir + ": " + e.getMessage(),
                    e);
        }
        return stores;
    }

    private static void store(KeyStore store, Path file, char[] password) throws IOException, GeneralSecurityException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
    }

    private static void checkValidity(X509Certificate leaf, Path file) {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new MembershipException("gossip TLS: the certificate " + file + " is valid from "
                    + leaf.getNotBefore().toInstant() + " to "
                    + leaf.getNotAfter().toInstant()
                    + ", not now; renew it (e2d pki gencerts) or fix the clock");
        }
    }

    private static void checkUsage(X509Certificate leaf, Path file) {
        List<String> usage;
        try {
            usage = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new MembershipException(
                    "gossip TLS: cannot read the extended key usage of " + file + ": " + e.getMessage(), e);
        }
        if (usage != null && !(usage.contains(SERVER_AUTH) && usage.contains(CLIENT_AUTH))) {
            throw new MembershipException("gossip TLS: the certificate " + file
                    + " must allow both TLS server and client authentication (every node is both), its extended"
                    + " key usage is " + usage + "; use the peer certificate (--peer-cert) from e2d pki gencerts");
        }
    }

    private static void checkSignedBy(List<X509Certificate> chain, List<X509Certificate> cas, GossipTls tls) {
        for (X509Certificate ca : cas) {
            for (X509Certificate c : chain) {
                if (c.equals(ca) || signedBy(c, ca)) {
                    return;
                }
            }
        }
        throw new MembershipException("gossip TLS: the certificate " + tls.certificateFile() + " (issuer "
                + chain.get(0).getIssuerX500Principal().getName() + ") is not signed by the CA in " + tls.caFile()
                + " (" + cas.get(0).getSubjectX500Principal().getName()
                + "); every node needs a certificate from the cluster CA");
    }

    private static boolean signedBy(X509Certificate c, X509Certificate ca) {
        if (!c.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            c.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Peers verify the certificate against the host they dial (netty's default endpoint identification). */
    private static void checkNames(X509Certificate leaf, String host, Path file) {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new MembershipException(
                    "gossip TLS: cannot read the subject alternative names of " + file + ": " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && san.get(1) instanceof String name) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_IP || type == SAN_DNS) {
                        names.add(name);
                        if (type == SAN_IP ? sameIp(name, host) : dnsMatches(name, host)) {
                            return;
                        }
                    }
                }
            }
        }
        throw new MembershipException("gossip TLS: the certificate " + file + " does not name this node's gossip host "
                + host + " (it names " + names + "), so peers would refuse it; reissue it with that host"
                + " (e2d pki gencerts --hosts " + host + ") or advertise a named address with --gossip-addr");
    }

    private static boolean isIpLiteral(String s) {
        return IPV4.matcher(s).matches() || s.contains(":");
    }

    private static boolean sameIp(String san, String host) {
        if (!isIpLiteral(san) || !isIpLiteral(host)) {
            return false;
        }
        try {
            // Literals only: no name lookup happens.
            return InetAddress.getByName(san).equals(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean dnsMatches(String san, String host) {
        String s = san.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (s.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(s.substring(1));
        }
        return s.equals(h);
    }

    Path keyStore() {
        return keyStore;
    }

    Path trustStore() {
        return trustStore;
    }

    /** The stores' password (give it only to atomix). */
    String password() {
        return password;
    }

    /** Deletes both files and the directory. Idempotent. */
    @Override
    public void close() {
        if (!deleted.compareAndSet(false, true)) {
            return;
        }
        for (Path p : List.of(keyStore, trustStore, dir)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("gossip TLS: cannot delete {}: {}; delete it by hand", p, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "GossipKeyStores{" + dir + "}";
    }
}
