/** e2d PKI: CA and etcd server/peer/client certificates (BouncyCastle), PEM in and out, key derivation. */
@NullMarked
package io.e2d.pki;

import org.jspecify.annotations.NullMarked;
