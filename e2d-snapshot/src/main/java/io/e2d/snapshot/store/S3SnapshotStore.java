package io.e2d.snapshot.store;

import io.e2d.snapshot.SnapshotNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Snapshots as objects in an S3 bucket (AWS, or any S3-compatible server through an endpoint
 * override) or a DigitalOcean Space. Uploads stream: one part of {@link SnapshotStoreOptions#partSize()}
 * bytes is buffered at a time and sent with the low-level multipart API; a snapshot smaller than a
 * part is sent with one PUT. An upload that is not committed is aborted, so it never becomes visible.
 */
final class S3SnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3SnapshotStore.class);

    private final SnapshotLocation location;
    private final S3Client s3;
    private final String bucket;
    private final int partSize;

    S3SnapshotStore(SnapshotLocation location, SnapshotStoreOptions options) throws IOException {
        this.location = location;
        this.bucket = location.bucket();
        this.partSize = options.partSize();
        this.s3 = client(location, options);
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.close();
            throw new IOException(
                    "bucket '" + bucket + "' does not exist (" + location.uri() + "); create it first", e);
        } catch (SdkException e) {
            s3.close();
            throw failure("reach bucket '" + bucket + "'", e);
        }
    }

    private static S3Client client(SnapshotLocation location, SnapshotStoreOptions options) {
        S3ClientBuilder builder = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder());
        URI endpoint = options.s3Endpoint().orElse(null);
        AwsCredentialsProvider credentials;
        Region region;
        if (location.type() == SnapshotLocation.Type.SPACES) {
            if (options.spacesKey().isEmpty() || options.spacesSecret().isEmpty()) {
                throw new IllegalArgumentException("a DigitalOcean Spaces snapshot URL (" + location.uri()
                        + ") needs --do-spaces-key and --do-spaces-secret");
            }
            credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    options.spacesKey().get(), options.spacesSecret().get()));
            if (endpoint == null) {
                endpoint = URI.create(location.endpoint());
            }
            region = Region.of(options.s3Region().orElse(SnapshotStoreOptions.FALLBACK_REGION));
        } else {
            credentials = DefaultCredentialsProvider.builder().build();
            region = options.s3Region().map(Region::of).orElseGet(() -> defaultRegion(options));
        }
        builder.credentialsProvider(credentials).region(region).forcePathStyle(options.pathStyle());
        if (endpoint != null) {
            // S3-compatible servers often lack the newer flexible checksums.
            builder.endpointOverride(endpoint)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static Region defaultRegion(SnapshotStoreOptions options) {
        if (options.s3Endpoint().isPresent()) {
            return Region.of(SnapshotStoreOptions.FALLBACK_REGION);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            throw new IllegalArgumentException(
                    "no AWS region found for the S3 snapshot store (looked at"
                            + " AWS_REGION, the AWS profile and EC2 instance metadata); set --snapshot-s3-region",
                    e);
        }
    }

    @Override
    public SnapshotLocation location() {
        return location;
    }

    private String key(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("a snapshot name must be a plain object name, got '" + name + "'");
        }
        return location.directory() + name;
    }

    @Override
    public PendingObject create(String name) {
        return new MultipartUpload(key(name));
    }

    @Override
    public InputStream open(String name) throws IOException {
        String key = key(name);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new SnapshotNotFoundException("no snapshot s3://" + bucket + "/" + key);
        } catch (SdkException e) {
            throw failure("read s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public List<StoredObject> list() throws IOException {
        String prefix = location.directory();
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(
                            b -> b.bucket(bucket).prefix(prefix).delimiter("/"))
                    .contents()) {
                String name = o.key().substring(prefix.length());
                if (!name.isEmpty() && !name.contains("/")) {
                    objects.add(new StoredObject(name, o.size(), o.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw failure("list s3://" + bucket + "/" + prefix, e);
        }
        return objects;
    }

    @Override
    public void delete(String name) throws IOException {
        String key = key(name);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("delete s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3SnapshotStore[" + location.uri() + "]";
    }

    static IOException failure(String action, SdkException e) {
        String hint = "";
        if (e instanceof S3Exception s3e && s3e.statusCode() == 403) {
            hint = "; access denied: check the credentials (default AWS chain, instance role, or"
                    + " --do-spaces-key/--do-spaces-secret) and the bucket policy";
        }
        String why = String.valueOf(e.getMessage());
        if (why.startsWith("Unable to load credentials")) {
            // the SDK lists every provider of its chain with its own complaint: a paragraph, not an answer
            why = "no AWS credentials found (looked at AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the AWS profile,"
                    + " web identity, container and EC2 instance role); set one of them";
        }
        return new IOException("could not " + action + ": " + why + hint, e);
    }

    /** Buffers one part at a time; see the class comment. */
    private final class MultipartUpload implements PendingObject {
        private final String key;
        private final byte[] buffer = new byte[partSize];
        private final List<CompletedPart> parts = new ArrayList<>();
        private final OutputStream stream = new PartStream();
        private int filled;
        private String uploadId;
        private boolean done;

        MultipartUpload(String key) {
            this.key = key;
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        private RequestBody body() {
            int length = filled;
            return RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
        }

        private void sendPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key))
                            .uploadId();
                }
                int number = parts.size() + 1;
                String etag = s3.uploadPart(
                                b -> b.bucket(bucket)
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(number),
                                body())
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                filled = 0;
            } catch (SdkException e) {
                throw failure("upload a part of s3://" + bucket + "/" + key, e);
            }
        }

        @Override
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or discarded: s3://" + bucket + "/" + key);
            }
            boolean ok = false;
            try {
                if (uploadId == null) {
                    s3.putObject(b -> b.bucket(bucket).key(key), body());
                } else {
                    if (filled > 0) {
                        sendPart();
                    }
                    s3.completeMultipartUpload(
                            b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
                }
                ok = true;
                done = true;
            } catch (SdkException e) {
                throw failure("complete s3://" + bucket + "/" + key, e);
            } finally {
                if (!ok) {
                    close();
                }
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (SdkException e) {
                    LOG.warn(
                            "could not abort the multipart upload of s3://{}/{}; a bucket lifecycle rule"
                                    + " (AbortIncompleteMultipartUpload) cleans such uploads: {}",
                            bucket,
                            key,
                            e.getMessage());
                }
            }
        }

        private final class PartStream extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (done) {
                    throw new IOException("the upload of s3://" + bucket + "/" + key + " is finished");
                }
                while (len > 0) {
                    int n = Math.min(len, buffer.length - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == buffer.length) {
                        sendPart();
                    }
                }
            }
        }
    }
}
