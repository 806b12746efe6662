package io.e2d.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SnapshotLocationTest {
    @ParameterizedTest
    @CsvSource({
        // url, type, bucket, directory, baseName, endpoint
        "file:///abc, FILE, '', /, abc, ''",
        "file:///var/lib/e2d/etcd.snapshot, FILE, '', /var/lib/e2d, etcd.snapshot, ''",
        "file://abc/snapshot.gz, FILE, '', abc, snapshot.gz, ''",
        "file:///tmp/my dir/s, FILE, '', /tmp/my dir, s, ''",
        "file://snapshot.gz, FILE, '', '', snapshot.gz, ''",
        "s3://bucket, S3, bucket, '', etcd.snapshot, ''",
        "s3://bucket/, S3, bucket, '', etcd.snapshot, ''",
        "s3://bucket/key, S3, bucket, '', key, ''",
        "s3://bucket/dir/sub/key.gz, S3, bucket, dir/sub/, key.gz, ''",
        "s3://bucket/dir/, S3, bucket, dir/, etcd.snapshot, ''",
        "https://nyc3.digitaloceanspaces.com/space, SPACES, space, '', etcd.snapshot, https://nyc3.digitaloceanspaces.com",
        "https://nyc3.digitaloceanspaces.com/space/backups/etcd, SPACES, space, backups/, etcd, https://nyc3.digitaloceanspaces.com",
        "http://sfo2.digitaloceanspaces.com/space/k, SPACES, space, '', k, http://sfo2.digitaloceanspaces.com"
    })
    void parsesTheGoE2dForms(String url, String type, String bucket, String dir, String base, String endpoint) {
        SnapshotLocation l = SnapshotLocation.parse(url);
        assertThat(l.type()).isEqualTo(SnapshotLocation.Type.valueOf(type));
        assertThat(l.bucket()).isEqualTo(bucket);
        assertThat(l.directory()).isEqualTo(dir);
        assertThat(l.baseName()).isEqualTo(base);
        assertThat(l.endpoint()).isEqualTo(endpoint);
    }

    @Test
    void baseKeyIsWhereGoE2dWroteItsSingleSnapshot() {
        assertThat(SnapshotLocation.parse("s3://b/x/etcd.snapshot").baseKey()).isEqualTo("x/etcd.snapshot");
        assertThat(SnapshotLocation.parse("file:///abc").baseKey()).isEqualTo("/abc");
        assertThat(SnapshotLocation.parse("file://abc/s").baseKey()).isEqualTo("abc/s");
    }

    @Test
    void rejectsWhatGoE2dRejectedOrSilentlyMisread() {
        assertThatThrownBy(() -> SnapshotLocation.parse("ftp://x/y")).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> SnapshotLocation.parse("/var/lib/snap")).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> SnapshotLocation.parse("https://example.com/bucket/key"))
                .hasMessageContaining("--snapshot-s3-endpoint");
        assertThatThrownBy(() -> SnapshotLocation.parse("file://")).hasMessageContaining("needs a file path");
        assertThatThrownBy(() -> SnapshotLocation.parse("file:///dir/")).hasMessageContaining("needs a file path");
        assertThatThrownBy(() -> SnapshotLocation.parse("s3:///key")).hasMessageContaining("needs a bucket");
        assertThatThrownBy(() -> SnapshotLocation.parse("s3://"))
                .hasMessage("an S3 snapshot URL needs a bucket, got 's3://'; e.g. s3://my-bucket/etcd.snapshot");
        assertThatThrownBy(() -> SnapshotLocation.parse("s3://bucket/a b|c"))
                .hasMessageStartingWith(
                        "snapshot URL 's3://bucket/a b|c' is not a valid URL (illegal character in path at character 14);");
        assertThatThrownBy(() -> SnapshotLocation.parse("https://nyc3.digitaloceanspaces.com/"))
                .hasMessageContaining("needs a bucket");
    }
}
