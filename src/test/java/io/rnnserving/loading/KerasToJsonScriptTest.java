package io.rnnserving.loading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.rnnserving.Prerequisite;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.rnnserving.loading.KerasFixtures.GENERATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/keras_to_json.py over every Keras fixture: what the service serves from the Keras file it also serves from
 * the script's JSON, with the same answer to the bit; what the service refuses the script refuses in the same words
 * and writes no file for. Needs a Python with Keras 3 (KERAS_PYTHON, else python3): skipped without one, failed under CI=true.
 */
class KerasToJsonScriptTest {
    private static final Path SCRIPT = Path.of("scripts/keras_to_json.py");

    @Test
    void servesWhatTheServiceServesAndRefusesTheRestInItsWords(@TempDir Path out) throws Exception {
        String python = System.getenv().getOrDefault("KERAS_PYTHON", "python3");
        Prerequisite.require(run(List.of(python, "-c", "import keras"), out).exitCode() == 0,
                python + " cannot import keras, so scripts/keras_to_json.py cannot be checked (set KERAS_PYTHON to a "
                        + "Python with Keras 3, as .ci/install-keras.sh does)");
        Map<Path, Path> targets = new LinkedHashMap<>();
        for (Path folder : List.of(GENERATED, GENERATED.resolve("recurrent"))) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.toString().endsWith(".keras")).sorted()
                        .forEach(f -> targets.put(f, out.resolve(f.getFileName() + ".json")));
            }
        }
        targets.put(GENERATED.resolve("recurrent/lstm.h5"), out.resolve("lstm.h5.json"));
        targets.put(GENERATED.resolve("recurrent/gru.h5"), out.resolve("gru.h5.json"));
        List<String> command = new ArrayList<>(List.of(python, SCRIPT.toString()));
        targets.forEach((source, target) -> command.addAll(List.of(source.toString(), target.toString())));

        Run script = run(command, out);

        int served = 0;
        int refused = 0;
        for (Map.Entry<Path, Path> entry : targets.entrySet()) {
            Path source = entry.getKey();
            Path target = entry.getValue();
            RecurrentModel fromKeras;
            try {
                fromKeras = ModelFileReader.read(source, null).model();
            } catch (ModelLoadException e) {
                refused++;
                assertThat(target).as("written for a refused model").doesNotExist();
                assertThat(script.stderr()).as("the script's words for %s", source).contains(e.getMessage());
                continue;
            }
            served++;
            assertThat(target).as("JSON for %s%n%s", source, script.stderr()).exists();
            RecurrentModel fromJson = ModelFileReader.read(target, null).model();
            SequenceBatch batch = batchFor(fromKeras);
            assertThat(fromJson.predict(batch).output()).as("%s through its JSON", source)
                    .containsExactly(fromKeras.predict(batch).output());
        }
        assertThat(script.exitCode()).as("exit code with %d refused", refused).isEqualTo(refused > 0 ? 1 : 0);
        assertThat(served).as("fixtures served (the functional ones among them)").isGreaterThanOrEqualTo(20);
        assertThat(refused).as("fixtures refused").isGreaterThanOrEqualTo(5);
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.map(Path::toString)).as("no temporary file left behind").noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    /**
     * Three samples of the model's declared length (5 steps when it has none), values spread over [-1.5, 1.5]; token
     * ids in the vocabulary for an Embedding model.
     */
    private static SequenceBatch batchFor(RecurrentModel model) {
        if (model.embedding().isPresent()) {
            return model.exampleBatch(3, 5, 1);
        }
        int steps = model.declaredSteps() == null ? 5 : model.declaredSteps();
        int features = model.inputFeatures();
        double[] values = new double[3 * steps * features];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1.5 * Math.sin(0.7 * i + 0.3);
        }
        return SequenceBatch.rectangular(values, 3, steps, features);
    }

    private record Run(int exitCode, String stderr) {
    }

    private static Run run(List<String> command, Path work) throws IOException, InterruptedException {
        Path err = work.resolve("stderr.txt");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        }
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 300 s");
        }
        return new Run(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }
}
