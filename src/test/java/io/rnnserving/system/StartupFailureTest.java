package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rnnserving.RnnServingApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model that cannot be served stops the real application fast, with a non-zero exit and one clear line. */
class StartupFailureTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String output) {
    }

    private Run start(Path model) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                RnnServingApplication.class.getName(), "--model.path=" + model, "--server.port=0",
                "--spring.main.banner-mode=off"))
                .redirectErrorStream(true)
                .start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("the application exits by itself").isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void missingModelFileStopsStartup() throws Exception {
        Path missing = dir.resolve("missing.json");
        Run run = start(missing);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("Cannot serve the model: " + missing + ": no such file")
                .doesNotContain("\tat io.rnnserving");
    }

    @Test
    void inconsistentModelFileStopsStartupNamingTheProblem() throws Exception {
        String json;
        try (var in = getClass().getResourceAsStream("/models/notebook-simple-rnn.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path model = dir.resolve("bad.json");
        Files.writeString(model, json.replace("\"units\": 2", "\"units\": 3"));
        Run run = start(model);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output())
                .contains("Cannot serve the model: " + model + ": layers[1].kernel is 5×2 but the layer before gives 5 "
                        + "values and the Dense has 3 units")
                .doesNotContain("\tat io.rnnserving");
    }
}
