package io.rnnserving.loading;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Reads a model file of any supported kind into a servable model, recognising the kind by the file's
 * content rather than its name.
 */
public final class ModelFileReader {
    /** The notebook's model, served when no model file is configured. */
    public static final String DEFAULT_MODEL_RESOURCE = "/models/notebook-simple-rnn.json";

    private ModelFileReader() {
    }

    /**
     * @param path       the model file
     * @param configPath a separate Keras config for a weights-only file, else null
     * @throws ModelLoadException naming the file and the problem
     */
    public static LoadedModel read(Path path, @Nullable Path configPath) {
        byte[] bytes = readBytes(path);
        String source = path.toString();
        if (JsonModelReader.looksLikeJson(bytes)) {
            return JsonModelReader.read(bytes, source, sha256(bytes));
        }
        throw new ModelLoadException(source + ": not a model file this service reads (expected rnn-serving JSON)");
    }

    /** The embedded default model, read by the same code as any other file. */
    public static LoadedModel readDefault() {
        try (InputStream in = ModelFileReader.class.getResourceAsStream(DEFAULT_MODEL_RESOURCE)) {
            if (in == null) {
                throw new ModelLoadException("classpath:" + DEFAULT_MODEL_RESOURCE + ": missing from the application");
            }
            byte[] bytes = in.readAllBytes();
            return JsonModelReader.read(bytes, "classpath:" + DEFAULT_MODEL_RESOURCE, sha256(bytes));
        } catch (IOException e) {
            throw new ModelLoadException("classpath:" + DEFAULT_MODEL_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    static byte[] readBytes(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new ModelLoadException(path + ": is a directory, not a model file");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(path + ": no such file");
        } catch (IOException e) {
            throw new ModelLoadException(path + ": cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
