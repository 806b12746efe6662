package io.e2d.snapshot.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.e2d.snapshot.Compression;
import io.e2d.snapshot.EtcdRoundTrip;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotInfo;
import io.e2d.snapshot.codec.DecodedSnapshot;
import io.e2d.snapshot.codec.Vectors;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 and Spaces stores against s3proxy, a real S3 API server, through the real AWS SDK client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3SnapshotStoreIT {
    private static final String ACCESS = "e2d-access";
    private static final String SECRET = "e2d-secret-key";
    private static final String BUCKET = "e2d-snapshots";
    private static final int PART = SnapshotStoreOptions.MIN_PART_SIZE;

    private static S3Proxy proxy;
    private static URI endpoint;
    private static S3Client admin;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(proxy.getState()));
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        // The S3 store uses the SDK's default credential chain; system properties are part of it.
        System.setProperty("aws.accessKeyId", ACCESS);
        System.setProperty("aws.secretAccessKey", SECRET);
        admin = S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .build();
        admin.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    private static SnapshotStoreOptions options() {
        return SnapshotStoreOptions.builder()
                .s3Endpoint(endpoint)
                .partSize(PART)
                .build();
    }

    private static List<String> keys(String prefix) {
        return admin.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    @Test
    void largeSnapshotStreamsAsAMultipartUploadAndDecodesBack() throws IOException {
        byte[] db = Vectors.syntheticDb(2 * PART + PART / 2, 3);
        try (SnapshotStore store = SnapshotStores.forUri("s3://" + BUCKET + "/multipart/etcd.snapshot", options())) {
            SnapshotArchive archive =
                    SnapshotArchive.builder(store).key(Vectors.key()).build();
            SnapshotInfo saved = archive.save(new ByteArrayInputStream(db), db.length, 7, 1);
            String etag = admin.headObject(b -> b.bucket(BUCKET).key("multipart/" + saved.name()))
                    .eTag();
            assertThat(etag).as("multipart ETag").endsWith("-3\"");
            assertThat(keys("multipart/"))
                    .containsExactly("multipart/" + saved.name(), "multipart/" + saved.name() + ".meta");
            try (DecodedSnapshot decoded = archive.fetch(archive.latest().orElseThrow(), tmp)) {
                assertThat(Files.readAllBytes(decoded.file())).isEqualTo(db);
            }
        }
    }

    @Test
    void interruptedUploadIsAbortedAndNeverReplacesTheLastGoodSnapshot() throws IOException {
        byte[] small = Vectors.read("plain.db");
        try (SnapshotStore store = SnapshotStores.forUri("s3://" + BUCKET + "/interrupted/", options())) {
            SnapshotArchive archive =
                    SnapshotArchive.builder(store).compression(Compression.GZIP).build();
            SnapshotInfo good = archive.save(new ByteArrayInputStream(small), small.length, 1, 1);
            byte[] big = Vectors.syntheticDb(PART + PART / 2, 4);
            try (SnapshotArchive.Writer writer = archive.begin(big.length, 2, 1)) {
                writer.stream().write(big); // at least one part is uploaded
                // the node dies here: no commit
            }
            assertThat(archive.latest().orElseThrow().name()).isEqualTo(good.name());
            assertThat(keys("interrupted/"))
                    .containsExactly("interrupted/" + good.name(), "interrupted/" + good.name() + ".meta");
            assertThat(admin.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
                    .isEmpty();
            try (DecodedSnapshot decoded = archive.fetch(archive.latest().orElseThrow(), tmp)) {
                assertThat(Files.readAllBytes(decoded.file())).isEqualTo(small);
            }
        }
    }

    @Test
    void retentionKeepsTheNewestAndGoE2dObjectStays() throws IOException {
        admin.putObject(
                b -> b.bucket(BUCKET).key("retention/etcd.snapshot"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(Vectors.read("snapshot.enc.gz")));
        try (SnapshotStore store = SnapshotStores.forUri("s3://" + BUCKET + "/retention", options())) {
            assertThat(store.location().baseName()).isEqualTo("retention");
        }
        try (SnapshotStore store = SnapshotStores.forUri("s3://" + BUCKET + "/retention/", options())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .key(Vectors.key())
                    .compression(Compression.ZSTD)
                    .retention(2)
                    .build();
            byte[] db = Vectors.read("plain.db");
            for (int rev = 1; rev <= 4; rev++) {
                archive.save(new ByteArrayInputStream(db), db.length, rev, 1);
            }
            List<SnapshotInfo> list = archive.list();
            assertThat(list)
                    .filteredOn(s -> !s.isLegacy())
                    .extracting(s -> s.revision().orElseThrow())
                    .containsExactly(4L, 3L);
            assertThat(list).filteredOn(SnapshotInfo::isLegacy).hasSize(1);
            assertThat(keys("retention/")).hasSize(5);
            SnapshotInfo legacy =
                    list.stream().filter(SnapshotInfo::isLegacy).findFirst().orElseThrow();
            try (DecodedSnapshot decoded = archive.fetch(legacy, tmp)) {
                assertThat(Files.readAllBytes(decoded.file())).isEqualTo(db);
            }
        }
    }

    @Test
    void missingBucketIsAClearError() {
        assertThatThrownBy(() -> SnapshotStores.forUri("s3://no-such-bucket/etcd.snapshot", options()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-bucket");
    }

    @Test
    void spacesUsesStaticKeysAndRejectsWrongOnes() throws IOException {
        String url = "https://nyc3.digitaloceanspaces.com/" + BUCKET + "/spaces/etcd.snapshot";
        assertThatThrownBy(() -> SnapshotStores.forUri(url, options()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--do-spaces-key");
        assertThatThrownBy(() -> SnapshotStores.forUri(
                        url,
                        options().toBuilder().spacesCredentials(ACCESS, "wrong").build()))
                .isInstanceOf(IOException.class);
        try (SnapshotStore store = SnapshotStores.forUri(
                url, options().toBuilder().spacesCredentials(ACCESS, SECRET).build())) {
            SnapshotArchive archive = SnapshotArchive.builder(store).build();
            byte[] db = Vectors.read("full.db");
            SnapshotInfo saved = archive.save(new ByteArrayInputStream(db), db.length, 9, 1);
            assertThat(keys("spaces/")).contains("spaces/" + saved.name());
        }
    }

    @Test
    void etcdSaveWipeRestoreThroughS3() throws Exception {
        try (SnapshotStore store = SnapshotStores.forUri("s3://" + BUCKET + "/etcd-s3/etcd.snapshot", options())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .compression(Compression.GZIP)
                    .key(Vectors.key())
                    .build();
            EtcdRoundTrip.run(tmp, archive, 200);
        }
    }

    @Test
    void etcdSaveWipeRestoreThroughSpaces() throws Exception {
        String url = "https://nyc3.digitaloceanspaces.com/" + BUCKET + "/etcd-spaces/etcd.snapshot";
        try (SnapshotStore store = SnapshotStores.forUri(
                url, options().toBuilder().spacesCredentials(ACCESS, SECRET).build())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .compression(Compression.ZSTD)
                    .key(Vectors.key())
                    .build();
            EtcdRoundTrip.run(tmp, archive, 200);
        }
    }
}
