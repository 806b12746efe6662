package io.e2d.pki;

import java.util.List;

/**
 * The three leaf certificate profiles of Go e2d (cfssl), which etcd needs for mutual TLS.
 *
 * <table>
 *   <caption>Profiles</caption>
 *   <tr><th>profile</th><th>subject CN</th><th>extended key usage</th><th>SANs</th></tr>
 *   <tr><td>SERVER</td><td>etcd server</td><td>serverAuth</td><td>hosts</td></tr>
 *   <tr><td>PEER</td><td>etcd peer</td><td>serverAuth, clientAuth</td><td>hosts</td></tr>
 *   <tr><td>CLIENT</td><td>etcd client</td><td>clientAuth</td><td>none</td></tr>
 * </table>
 *
 * <p>All three have key usage digitalSignature, plus keyEncipherment for RSA keys, and basicConstraints
 * CA:FALSE.
 */
public enum CertificateProfile {
    /** The client listener of etcd (port 2379): serverAuth. */
    SERVER("server", "etcd server", List.of(ExtendedUsage.SERVER_AUTH), true),
    /** The peer listener of etcd (port 2380), and e2d's own clients: serverAuth + clientAuth. */
    PEER("peer", "etcd peer", List.of(ExtendedUsage.SERVER_AUTH, ExtendedUsage.CLIENT_AUTH), true),
    /** Clients of etcd (etcdctl, applications): clientAuth, no SANs. */
    CLIENT("client", "etcd client", List.of(ExtendedUsage.CLIENT_AUTH), false);

    /** The extended key usages the profiles use. */
    public enum ExtendedUsage {
        /** TLS web server authentication (1.3.6.1.5.5.7.3.1). */
        SERVER_AUTH,
        /** TLS web client authentication (1.3.6.1.5.5.7.3.2). */
        CLIENT_AUTH
    }

    private final String fileName;
    private final String commonName;
    private final List<ExtendedUsage> extendedUsages;
    private final boolean hasSubjectAltNames;

    CertificateProfile(
            String fileName, String commonName, List<ExtendedUsage> extendedUsages, boolean hasSubjectAltNames) {
        this.fileName = fileName;
        this.commonName = commonName;
        this.extendedUsages = extendedUsages;
        this.hasSubjectAltNames = hasSubjectAltNames;
    }

    /** The base file name ({@code server}, {@code peer}, {@code client}) used for {@code .crt}/{@code .key}. */
    public String fileName() {
        return fileName;
    }

    /** The subject common name. */
    public String commonName() {
        return commonName;
    }

    /** The extended key usages, in the order they are encoded. */
    public List<ExtendedUsage> extendedUsages() {
        return extendedUsages;
    }

    /** Whether the certificate carries the hosts as subject alternative names (false for CLIENT). */
    public boolean hasSubjectAltNames() {
        return hasSubjectAltNames;
    }
}
