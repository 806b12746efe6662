package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.testkit.FreePorts;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code e2d status} errors: one line each, with the exit codes of {@link ExitCodes}. */
@Timeout(30)
class StatusCommandTest {

    @Test
    void unreachableEndpointIsOneLineAndExit1() {
        int port = FreePorts.tcp();
        CliRunner.Result r = CliRunner.run(Map.of(), "status", "--endpoints", "http://127.0.0.1:" + port);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("e2d: cannot reach http://127.0.0.1:" + port + "/status: connection refused");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badUrlIsExit2() {
        for (String bad : new String[] {"127.0.0.1:8080", "ftp://127.0.0.1:8080", "http://[bad"}) {
            CliRunner.Result r = CliRunner.run(Map.of(), "status", "--endpoints", bad);
            assertThat(r.exitCode()).as(bad).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as(bad).hasSize(1);
            assertThat(r.err()).as(bad).startsWith("e2d: --endpoints");
        }
    }

    @Test
    void statusPathIsAppendedOnce() {
        assertThat(StatusCommand.statusUri("http://127.0.0.1:8080").toString())
                .isEqualTo("http://127.0.0.1:8080/status");
        assertThat(StatusCommand.statusUri("http://127.0.0.1:8080/status/").toString())
                .isEqualTo("http://127.0.0.1:8080/status");
    }
}
