package io.e2d.pki;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings for generating a CA and issuing certificates. Thread-safe.
 *
 * <pre>{@code
 * PkiConfig config = PkiConfig.builder().keyType(KeyType.ECDSA_P256).validity(Duration.ofDays(365)).build();
 * CertificateAuthority ca = CertificateAuthority.generate(config);
 * }</pre>
 *
 * @param keyType the type of newly generated keys (CA and leaves); default {@link #DEFAULT_KEY_TYPE}
 * @param validity how long a new certificate is valid, counted from now (rounded to the minute);
 *     default {@link #DEFAULT_VALIDITY} (43800 h, about 5 years, as Go e2d)
 * @param backdate how far before now a new certificate's NotBefore is set, to absorb clock skew between
 *     nodes; default {@link #DEFAULT_BACKDATE} (5 minutes, as cfssl)
 * @param caCommonName subject CN of a generated CA; default {@link #DEFAULT_CA_COMMON_NAME}
 * @param clock the time source for validity periods
 * @param random the source of serial numbers and keys
 */
public record PkiConfig(
        KeyType keyType, Duration validity, Duration backdate, String caCommonName, Clock clock, SecureRandom random) {

    /** RSA-2048: the only CA key type from which Go e2d derives snapshot and gossip keys. */
    public static final KeyType DEFAULT_KEY_TYPE = KeyType.RSA_2048;
    /** 43800 hours (5 × 365 days), cfssl's expiry in Go e2d. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(43800);
    /** 5 minutes, cfssl's backdate. */
    public static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(5);
    /** {@code e2d-ca}, as Go e2d. */
    public static final String DEFAULT_CA_COMMON_NAME = "e2d-ca";

    /** Validates; use {@link #builder()} rather than this constructor. */
    public PkiConfig {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(backdate, "backdate");
        Objects.requireNonNull(caCommonName, "caCommonName");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (validity.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new PkiException("validity must be at least 1 minute, got " + validity
                    + "; pass a longer duration (default " + DEFAULT_VALIDITY.toHours() + "h)");
        }
        if (backdate.isNegative()) {
            throw new PkiException("backdate must not be negative, got " + backdate);
        }
        if (caCommonName.isBlank()) {
            throw new PkiException("caCommonName must not be blank; use the default '" + DEFAULT_CA_COMMON_NAME + "'");
        }
    }

    /** The defaults: RSA-2048, 43800 h, 5 min backdate, CN {@code e2d-ca}, system UTC clock. */
    public static PkiConfig defaults() {
        return builder().build();
    }

    /** A builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder()
                .keyType(keyType)
                .validity(validity)
                .backdate(backdate)
                .caCommonName(caCommonName)
                .clock(clock)
                .random(random);
    }

    /** Builder of {@link PkiConfig}. Not thread-safe. */
    public static final class Builder {
        private KeyType keyType = DEFAULT_KEY_TYPE;
        private Duration validity = DEFAULT_VALIDITY;
        private Duration backdate = DEFAULT_BACKDATE;
        private String caCommonName = DEFAULT_CA_COMMON_NAME;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();

        private Builder() {}

        /** Sets the type of generated keys. */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /** Sets the validity of new certificates (at least one minute). */
        public Builder validity(Duration validity) {
            this.validity = Objects.requireNonNull(validity, "validity");
            return this;
        }

        /** Sets how far NotBefore lies before now (zero or more). */
        public Builder backdate(Duration backdate) {
            this.backdate = Objects.requireNonNull(backdate, "backdate");
            return this;
        }

        /** Sets the subject CN of a generated CA. */
        public Builder caCommonName(String caCommonName) {
            this.caCommonName = Objects.requireNonNull(caCommonName, "caCommonName");
            return this;
        }

        /** Sets the clock validity periods are computed from. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the random source for keys and serial numbers. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Builds the config.
         *
         * @throws PkiException if a value is out of range (the message says which and what to use)
         */
        public PkiConfig build() {
            return new PkiConfig(keyType, validity, backdate, caCommonName, clock, random);
        }
    }
}
