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

    private record Run(int exitCode, String output, long millis) {
    }

    private Run start(Path model) throws IOException, InterruptedException {
        return run("--model.path=" + model);
    }

    private Run run(String modelArgument) throws IOException, InterruptedException {
        long started = System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only: these JVMs live for seconds, and the test measures how fast a bad model stops startup
        Process process = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RnnServingApplication.class.getName(), modelArgument, "--server.port=0",
                "--spring.main.banner-mode=off"))
                .redirectErrorStream(true)
                .start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("the application exits by itself").isTrue();
        long millis = (System.nanoTime() - started) / 1_000_000;
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("startup failed in " + millis + " ms, exit " + process.exitValue() + ": "
                + output.lines().filter(line -> line.contains("Cannot serve")).findFirst().orElse("(no line)"));
        return new Run(process.exitValue(), output, millis);
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

    @Test
    void aRepositoryWithAModelThatHasNoVersionToServeStopsStartupWithOneLinePerFailure() throws Exception {
        Path repository = dir.resolve("repository");
        io.rnnserving.repository.RepositoryFiles.writeVersion(repository, "good", 1, "model.json",
                io.rnnserving.repository.RepositoryFiles.notebook());
        io.rnnserving.repository.RepositoryFiles.writeVersion(repository, "bad", 1, "model.keras",
                io.rnnserving.repository.RepositoryFiles.keras("rnn_tanh_dense.keras", 0.6));
        io.rnnserving.repository.RepositoryFiles.writeVersion(repository, "bad", 2, "notes.txt", "no model");
        Run run = run("--model.repository=" + repository);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output().lines().filter(line -> line.contains("Cannot serve")).toList()).containsExactly(
                "Cannot serve the model repository " + repository + ":",
                "  Cannot serve bad version 1: " + repository.resolve("bad/1/model.keras")
                        + ": not a readable .keras (zip) archive, truncated or corrupt (unexpected EOF)",
                "  Cannot serve bad version 2: " + repository.resolve("bad/2") + ": no model file (expected "
                        + "model.keras, a Keras .h5, the service's .json, or a .weights.h5 with its Keras config .json "
                        + "beside it)");
        assertThat(run.output()).doesNotContain("\tat io.rnnserving");
    }

    /** One line names the file and says what is wrong; no stack trace of ours follows it. */
    private static void assertOneClearLine(Run run, Path model, String problem) {
        assertThat(run.exitCode()).isNotZero();
        List<String> lines = run.output().lines().filter(line -> line.contains("Cannot serve the model")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("Cannot serve the model: " + model + ": " + problem);
        assertThat(run.output()).doesNotContain("\tat io.rnnserving");
    }

    private Path copyOfFixture(String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.copy(Path.of("src/test/resources/keras", name), copy);
        return copy;
    }

    private static void truncate(Path file, double keep) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, (int) (bytes.length * keep)));
    }

    @Test
    void truncatedKerasArchiveStopsStartup() throws Exception {
        Path model = copyOfFixture("rnn_tanh_dense.keras");
        truncate(model, 0.6);
        assertOneClearLine(start(model), model, "");
    }

    @Test
    void truncatedH5StopsStartup() throws Exception {
        Path model = copyOfFixture("rnn_tanh_dense.h5");
        truncate(model, 0.6);
        assertOneClearLine(start(model), model, "");
    }

    @Test
    void corruptedH5StopsStartup() throws Exception {
        Path model = copyOfFixture("stacked.h5");
        byte[] bytes = Files.readAllBytes(model);
        // keep the HDF5 signature, scramble the superblock's addresses and everything after them
        java.util.Random random = new java.util.Random(8);
        for (int i = 16; i < bytes.length; i += 7) {
            bytes[i] = (byte) random.nextInt(256);
        }
        Files.write(model, bytes);
        assertOneClearLine(start(model), model, "");
    }

    @Test
    void infiniteWeightInJsonStopsStartup() throws Exception {
        String json;
        try (var in = getClass().getResourceAsStream("/models/notebook-simple-rnn.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path model = dir.resolve("infinite.json");
        Files.writeString(model, json.replace("0.06160122", "1e999"));
        assertOneClearLine(start(model), model, "layers[0].kernel[0][0] is Infinity; weights must be finite");
    }

    @Test
    void nanWeightInH5StopsStartup() throws Exception {
        Path model = copyOfFixture("rnn_tanh_dense.h5");
        byte[] bytes = Files.readAllBytes(model);
        byte[] kernelRow = firstKernelRow(model);
        int at = indexOf(bytes, kernelRow);
        assertThat(at).as("the kernel is stored contiguously, uncompressed").isNotNegative();
        java.nio.ByteBuffer.wrap(bytes, at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        Files.write(model, bytes);
        Run run = start(model);
        assertOneClearLine(run, model, "");
        assertThat(run.output()).containsIgnoringCase("NaN");
    }

    /** The first row of the first kernel dataset as little-endian float32 bytes, as HDF5 stores it. */
    private static byte[] firstKernelRow(Path h5) {
        try (io.jhdf.HdfFile file = new io.jhdf.HdfFile(h5)) {
            io.jhdf.api.Dataset kernel = findKernel(file);
            float[] row = ((float[][]) kernel.getData())[0];
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4 * row.length)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float value : row) {
                buffer.putFloat(value);
            }
            return buffer.array();
        }
    }

    private static io.jhdf.api.Dataset findKernel(io.jhdf.api.Group group) {
        for (io.jhdf.api.Node node : group.getChildren().values()) {
            if (node instanceof io.jhdf.api.Dataset dataset && dataset.getName().startsWith("kernel")) {
                return dataset;
            }
            if (node instanceof io.jhdf.api.Group child) {
                io.jhdf.api.Dataset found = findKernel(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
