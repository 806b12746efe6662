package io.e2d.snapshot.store;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings for the remote stores. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * SnapshotStoreOptions options = SnapshotStoreOptions.builder()
 *         .s3Endpoint(URI.create("http://minio:9000"))
 *         .pathStyle(true)
 *         .build();
 * }</pre>
 *
 * @param s3Region region for {@code s3://} (otherwise the SDK chain: {@code AWS_REGION}, profile,
 *     EC2 instance metadata; {@value #FALLBACK_REGION} when an endpoint is set and nothing else is found)
 * @param s3Endpoint endpoint override for S3-compatible servers (MinIO...); also overrides the Spaces endpoint
 * @param pathStyle path-style bucket addressing; on by default when an endpoint is set
 * @param spacesKey DigitalOcean Spaces access key ({@code --do-spaces-key})
 * @param spacesSecret DigitalOcean Spaces secret ({@code --do-spaces-secret})
 * @param partSize multipart part size in bytes, also the upload buffer (one part held in memory)
 */
public record SnapshotStoreOptions(
        Optional<String> s3Region,
        Optional<URI> s3Endpoint,
        boolean pathStyle,
        Optional<String> spacesKey,
        Optional<String> spacesSecret,
        int partSize) {
    /** Default part size: 8 MiB. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** S3's minimum part size (all parts but the last): 5 MiB. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** Region used with an endpoint override when no region is configured. */
    public static final String FALLBACK_REGION = "us-east-1";

    /** Validates. */
    public SnapshotStoreOptions {
        Objects.requireNonNull(s3Region, "s3Region");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(spacesKey, "spacesKey");
        Objects.requireNonNull(spacesSecret, "spacesSecret");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException(
                    "the S3 part size must be at least " + MIN_PART_SIZE + " bytes (S3's minimum), got " + partSize);
        }
    }

    /** Options with every default. */
    public static SnapshotStoreOptions defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.s3Region = s3Region;
        b.s3Endpoint = s3Endpoint;
        b.pathStyle = Optional.of(pathStyle);
        b.spacesKey = spacesKey;
        b.spacesSecret = spacesSecret;
        b.partSize = partSize;
        return b;
    }

    @Override
    public String toString() {
        return "SnapshotStoreOptions[s3Region=" + s3Region + ", s3Endpoint=" + s3Endpoint + ", pathStyle="
                + pathStyle + ", spacesKey=" + spacesKey.map(k -> "<set>").orElse("<none>") + ", partSize="
                + partSize + "]";
    }

    /** Builder of {@link SnapshotStoreOptions}; not thread-safe. */
    public static final class Builder {
        private Optional<String> s3Region = Optional.empty();
        private Optional<URI> s3Endpoint = Optional.empty();
        private Optional<Boolean> pathStyle = Optional.empty();
        private Optional<String> spacesKey = Optional.empty();
        private Optional<String> spacesSecret = Optional.empty();
        private int partSize = DEFAULT_PART_SIZE;

        private Builder() {}

        /** Sets the S3 region, e.g. {@code eu-west-1}. */
        public Builder s3Region(String region) {
            this.s3Region = Optional.of(region);
            return this;
        }

        /** Sets the endpoint of an S3-compatible server. */
        public Builder s3Endpoint(URI endpoint) {
            this.s3Endpoint = Optional.of(endpoint);
            return this;
        }

        /** Forces path-style addressing on or off. */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = Optional.of(pathStyle);
            return this;
        }

        /** Sets the Spaces access key and secret. */
        public Builder spacesCredentials(String key, String secret) {
            this.spacesKey = Optional.of(key);
            this.spacesSecret = Optional.of(secret);
            return this;
        }

        /** Sets the multipart part size in bytes (at least 5 MiB). */
        public Builder partSize(int bytes) {
            this.partSize = bytes;
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException if a value is out of range
         */
        public SnapshotStoreOptions build() {
            return new SnapshotStoreOptions(
                    s3Region, s3Endpoint, pathStyle.orElse(s3Endpoint.isPresent()), spacesKey, spacesSecret, partSize);
        }
    }
}
