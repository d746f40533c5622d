package io.rnnserving.loading;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.jhdf.exceptions.HdfException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a model file of any supported kind into a servable model, recognising the kind by the file's
 * content rather than its name.
 */
public final class ModelFileReader {
    /** The notebook's model, served when no model file is configured. */
    public static final String DEFAULT_MODEL_RESOURCE = "/models/notebook-simple-rnn.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

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
            if (isKerasConfig(bytes)) {
                throw new ModelLoadException(source + ": a Keras model config holds no weights; set model.path "
                        + "(MODEL_PATH) to the weights file (.weights.h5 or .h5) and model.config (MODEL_CONFIG) "
                        + "to this file");
            }
            return JsonModelReader.read(bytes, source, sha256(bytes));
        }
        try {
            if (KerasArchiveReader.looksLikeZip(bytes)) {
                return KerasArchiveReader.read(bytes, source, sha256(bytes));
            }
            if (Hdf5ModelReader.looksLikeHdf5(bytes)) {
                return Hdf5ModelReader.read(bytes, source, sha256(bytes), configPath);
            }
        } catch (ModelLoadException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source + ": " + oneLine(e.getMessage()), e);
        } catch (HdfException e) {
            throw new ModelLoadException(source + ": not a readable HDF5 file, truncated or corrupt ("
                    + oneLine(e.getMessage()) + ")", e);
        } catch (RuntimeException e) {
            // jhdf reports some damage as plain runtime exceptions (buffer underflow, bad offsets)
            throw new ModelLoadException(source + ": not a readable model file, truncated or corrupt ("
                    + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()) + ")", e);
        }
        throw new ModelLoadException(source + ": not a model file this service reads (expected rnn-serving JSON, "
                + "a Keras 3 .keras archive, or a Keras HDF5 .h5 file)");
    }

    private static boolean isKerasConfig(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            return root.isObject() && root.has("class_name") && root.has("config");
        } catch (JacksonException e) {
            return false;
        }
    }

    static JsonNode parseJson(byte[] bytes, String what) {
        try {
            return JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(what + " is not valid JSON (" + oneLine(e.getOriginalMessage()) + ")");
        }
    }

    /** The major version of a Keras version string such as "2.2.4-tf", or the fallback when absent or odd. */
    static int kerasMajorVersion(@Nullable String version, int fallback) {
        if (version == null) {
            return fallback;
        }
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? fallback : Integer.parseInt(version.substring(0, end));
    }

    static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        if (bytes.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String oneLine(@Nullable String message) {
        return message == null ? "no detail" : message.strip().replaceAll("\\s*\\R\\s*", " ");
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
