package io.rnnserving.loading;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.jhdf.HdfFile;
import tools.jackson.databind.JsonNode;

/** Reads a Keras 3 {@code .keras} archive: {@code config.json}, {@code metadata.json} and {@code model.weights.h5}. */
final class KerasArchiveReader {
    static final String FILE_KIND = "Keras 3 .keras";
    private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};

    private KerasArchiveReader() {
    }

    static boolean looksLikeZip(byte[] bytes) {
        return ModelFileReader.startsWith(bytes, 0, ZIP_SIGNATURE);
    }

    /** @throws IllegalArgumentException naming what is missing or wrong inside the archive */
    static LoadedModel read(byte[] bytes, String source, String sha256) {
        Map<String, byte[]> entries = entries(bytes);
        for (String required : new String[] {"config.json", "model.weights.h5"}) {
            if (!entries.containsKey(required)) {
                throw new IllegalArgumentException("the .keras archive has no " + required + " (it holds "
                        + entries.keySet() + "); is it truncated?");
            }
        }
        String kerasVersion = null;
        if (entries.containsKey("metadata.json")) {
            kerasVersion = ModelFileReader.parseJson(entries.get("metadata.json"), "metadata.json")
                    .path("keras_version").asString(null);
        }
        JsonNode configJson = ModelFileReader.parseJson(entries.get("config.json"), "config.json");
        KerasModelConfig config = KerasConfigParser.parse(configJson, ModelFileReader.kerasMajorVersion(kerasVersion, 3));
        try (HdfFile weightsFile = HdfFile.fromBytes(entries.get("model.weights.h5"))) {
            KerasWeights weights = KerasWeights.fromKeras3File(weightsFile, config);
            return new LoadedModel(config.toModel(weights), FILE_KIND, kerasVersion, source, sha256,
                    config.dtype().saved());
        }
    }

    private static Map<String, byte[]> entries(byte[] bytes) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable .keras (zip) archive, truncated or corrupt ("
                    + e.getMessage() + ")");
        }
        return entries;
    }
}
