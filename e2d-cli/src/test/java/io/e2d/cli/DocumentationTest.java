package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.cli.internal.EnvironmentDefaults;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Model.OptionSpec;

/** The root README and deploy/e2d.conf.example describe exactly the flags, variables and defaults of the code. */
@Timeout(30)
class DocumentationTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern ROW =
            Pattern.compile("^\\| (`-[^|]+) \\| `(E2D_[A-Z0-9_]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

    private static List<OptionSpec> runOptions() {
        return E2dCommand.commandLine(
                        Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands()
                .get("run")
                .getCommandSpec()
                .options()
                .stream()
                .filter(o -> EnvironmentDefaults.variableFor(o).isPresent())
                .toList();
    }

    @Test
    void readmeTableListsEveryRunFlagWithItsVariableAndDefault() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(readme);
        while (m.find()) {
            rows.put(m.group(2), new String[] {m.group(1).strip(), m.group(3).strip()});
        }
        List<OptionSpec> options = runOptions();
        assertThat(rows.keySet())
                .containsExactlyInAnyOrderElementsOf(options.stream()
                        .map(o -> EnvironmentDefaults.variableFor(o).orElseThrow())
                        .toList());
        for (OptionSpec option : options) {
            String[] row = rows.get(EnvironmentDefaults.variableFor(option).orElseThrow());
            String flags = String.join(
                    ", ",
                    List.of(option.names()).stream().map(n -> "`" + n + "`").toList());
            assertThat(row[0]).as("flags of %s", option.longestName()).isEqualTo(flags);
            String value = option.defaultValue();
            String expected = value == null || value.isEmpty() ? "—" : "`" + value + "`";
            assertThat(row[1]).as("default of %s", option.longestName()).isEqualTo(expected);
        }
    }

    @Test
    void confExampleListsEveryVariable() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/e2d.conf.example"));
        for (OptionSpec option : runOptions()) {
            String variable = EnvironmentDefaults.variableFor(option).orElseThrow();
            assertThat(conf).as(variable).containsPattern("(?m)^#?" + variable + "=");
        }
    }

    @Test
    void readmeListsTheExitCodesOfTheCode() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (int code : new int[] {ExitCodes.OK, ExitCodes.RUNTIME_ERROR, ExitCodes.USAGE, ExitCodes.ETCD_NOT_FOUND}) {
            assertThat(readme).containsPattern("(?m)^\\| " + code + " \\| ");
        }
    }
}
