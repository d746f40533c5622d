package io.rnnserving.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rnnserving.Prerequisite;

import static org.assertj.core.api.Assertions.fail;

/**
 * Redocly CLI, the OpenAPI linter, as .ci/install-redocly.sh installs it into target/tools. Installs it when npm is
 * there; without npm the lint is skipped locally and fails in CI (the CI variable set).
 */
final class RedoclyCli {
    private static final Path BIN = Path.of("target/tools/redocly/node_modules/.bin/redocly");
    private static final Path INSTALL = Path.of(".ci/install-redocly.sh");

    record Run(int exitCode, String stdout, String stderr) {
    }

    private RedoclyCli() {
    }

    static Run run(String... arguments) throws IOException, InterruptedException {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of(BIN.toString()));
        command.addAll(List.of(arguments));
        return exec(command, 120);
    }

    private static void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BIN)) {
            return;
        }
        Prerequisite.require(Prerequisite.onPath("npm"), "npm is not installed, so the Redocly lint of the OpenAPI "
                + "spec cannot run; .ci/run installs node and npm, then runs .ci/install-redocly.sh");
        Run install = exec(List.of("bash", INSTALL.toString()), 300);
        if (install.exitCode() != 0 || !Files.isExecutable(BIN)) {
            fail("%s failed (exit %d):%n%s%n%s", INSTALL, install.exitCode(), install.stdout(), install.stderr());
        }
    }


    private static Run exec(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("redocly", ".out");
        Path err = Files.createTempFile("redocly", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("REDOCLY_TELEMETRY", "off");
            builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish in %d s", command, timeoutSeconds);
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
