package io.e2d.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdLogLinesTest {
    private static final String INFO =
            "{\"level\":\"info\",\"ts\":\"2026\",\"caller\":\"embed/etcd.go:371\",\"msg\":\"closing etcd server\"}";
    private static final String WARN = "{\"level\":\"warn\",\"msg\":\"failed to start etcd\",\"error\":\"listen tcp"
            + " 127.0.0.1:23793: bind: address already in use\"}";
    private static final String FATAL = "{\"level\":\"fatal\",\"msg\":\"discovery failed\",\"error\":\"listen tcp"
            + " 127.0.0.1:23793: bind: address already in use\",\"stacktrace\":\"go.etcd.io/etcd\\n\\tmain.go\"}";

    @Test
    void readsLevelAndSummary() {
        assertThat(EtcdLogLines.level(INFO)).isEqualTo("info");
        assertThat(EtcdLogLines.level(FATAL)).isEqualTo("fatal");
        assertThat(EtcdLogLines.level("panic: runtime error")).isEqualTo("info");
        assertThat(EtcdLogLines.summary(FATAL))
                .isEqualTo("discovery failed: listen tcp 127.0.0.1:23793: bind: address already in use");
        assertThat(EtcdLogLines.summary("plain text ")).isEqualTo("plain text");
    }

    @Test
    void picksTheMostSevereLastLine() {
        assertThat(EtcdLogLines.mostRelevant(List.of(INFO, FATAL, WARN, INFO)))
                .contains("discovery failed: listen tcp 127.0.0.1:23793: bind: address already in use");
        assertThat(EtcdLogLines.mostRelevant(List.of(INFO, WARN, INFO)))
                .contains("failed to start etcd: listen tcp 127.0.0.1:23793: bind: address already in use");
        assertThat(EtcdLogLines.mostRelevant(List.of(INFO))).contains("closing etcd server");
        assertThat(EtcdLogLines.mostRelevant(List.of())).isEmpty();
        assertThat(EtcdLogLines.mostRelevant(
                        List.of(WARN, "flag provided but not defined: -x", "Usage:", "", "  etcd [flags]", "")))
                .contains("flag provided but not defined: -x");
    }

    @Test
    void logTailKeepsTheLastLines() {
        LogTail tail = new LogTail(3);
        for (int i = 1; i <= 5; i++) {
            tail.add("line " + i);
        }
        assertThat(tail.lines()).containsExactly("line 3", "line 4", "line 5");
    }
}
