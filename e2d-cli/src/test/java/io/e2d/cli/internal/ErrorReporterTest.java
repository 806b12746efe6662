package io.e2d.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.cli.ExitCodes;
import io.e2d.discovery.UnknownDiscoveryMethodException;
import io.e2d.pki.PkiException;
import io.e2d.snapshot.SnapshotException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorReporterTest {

    @Test
    void modulesFailuresKeepTheirOwnMessage() {
        assertThat(ErrorReporter.Failure.of(new PkiException("ca.key does not match ca.crt: use the matching key")))
                .isEqualTo(new ErrorReporter.Failure(
                        "ca.key does not match ca.crt: use the matching key", ExitCodes.RUNTIME_ERROR));
        assertThat(ErrorReporter.Failure.of(new SnapshotException("no snapshot at s3://b/k"))
                        .message())
                .isEqualTo("no snapshot at s3://b/k");
        assertThat(ErrorReporter.Failure.of(
                                new UnknownDiscoveryMethodException("k8s-labels", java.util.List.of("static", "dns")))
                        .message())
                .doesNotStartWith("unexpected error");
    }

    @Test
    void fileErrorsSayWhatHappenedWithoutClassNames() {
        assertThat(ErrorReporter.describe(new java.nio.file.AccessDeniedException("/srv/x")))
                .isEqualTo("/srv/x: permission denied");
        assertThat(ErrorReporter.describe(new java.nio.file.NoSuchFileException("/srv/y")))
                .isEqualTo("/srv/y: no such file or directory");
        assertThat(ErrorReporter.describe(
                        new java.nio.file.FileSystemException("/srv/z", null, "Read-only file system")))
                .isEqualTo("/srv/z: Read-only file system");
        assertThat(ErrorReporter.describe(new java.io.IOException("disk full"))).isEqualTo("disk full");
    }

    @Test
    void anythingElseIsUnexpected() {
        ErrorReporter.Failure f = ErrorReporter.Failure.of(new IllegalStateException("boom"));
        assertThat(f.message()).isEqualTo("unexpected error: boom (run with --verbose for details)");
        assertThat(f.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
    }
}
