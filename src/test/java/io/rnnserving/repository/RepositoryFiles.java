package io.rnnserving.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import io.rnnserving.loading.ModelFileReader;

/** Model repositories for tests: version directories written whole (into a hidden directory, then renamed in). */
public final class RepositoryFiles {
    /** The notebook model's Dense bias, which {@link #notebookWithDenseBias} replaces to make another version. */
    private static final String DENSE_BIAS = "\"bias\": [0.1, -0.1]";
    /** Committed Keras fixtures (src/test/resources/keras/make_fixtures.py). */
    public static final Path KERAS = Path.of("src/test/resources/keras");

    private RepositoryFiles() {
    }

    /** The embedded notebook model's JSON. */
    public static String notebook() {
        try (InputStream in = RepositoryFiles.class.getResourceAsStream(ModelFileReader.DEFAULT_MODEL_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The notebook model computed in float64 (its JSON's {@code dtype}), whose answers differ from another version's
     * by exactly what the versions' weights make them differ, to 1e-12.
     */
    public static String notebookFloat64() {
        return notebook().replaceFirst("\"inputShape\"", "\"dtype\": \"float64\", \"inputShape\"");
    }

    /**
     * The notebook model in float64 with another Dense bias: each answer's two outputs move by exactly the bias'
     * change.
     */
    public static String notebookWithDenseBias(double first, double second) {
        String json = notebookFloat64();
        if (!json.contains(DENSE_BIAS)) {
            throw new IllegalStateException("the notebook model's Dense bias changed; update RepositoryFiles");
        }
        return json.replace(DENSE_BIAS, "\"bias\": [" + first + ", " + second + "]");
    }

    /** Writes one version's files into a hidden directory and renames it in, as the README says to. */
    public static Path writeVersion(Path repository, String model, long version, String file, byte[] content) {
        try {
            Path modelDir = Files.createDirectories(repository.resolve(model));
            Path staging = Files.createTempDirectory(modelDir, ".incoming-");
            Files.write(staging.resolve(file), content);
            Path versionDir = modelDir.resolve(Long.toString(version));
            return Files.move(staging, versionDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writeVersion(Path repository, String model, long version, String file, String content) {
        return writeVersion(repository, model, version, file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A committed Keras fixture's bytes, cut to the given fraction when below 1. */
    public static byte[] keras(String fixture, double keep) {
        try {
            byte[] bytes = Files.readAllBytes(KERAS.resolve(fixture));
            return keep >= 1 ? bytes : Arrays.copyOf(bytes, (int) (bytes.length * keep));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
