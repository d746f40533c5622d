package io.rnnserving.loading;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the HDF5 files Keras writes: a legacy full model ({@code model.save('x.h5')}, root attribute
 * {@code model_config}) or a weights-only file ({@code save_weights}, Keras 2 or Keras 3 layout) with its
 * config given apart.
 */
final class Hdf5ModelReader {
    static final String LEGACY_KIND = "legacy HDF5 .h5";
    static final String WEIGHTS_KIND = "weights .h5 + config";
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Hdf5ModelReader() {
    }

    static boolean looksLikeHdf5(byte[] bytes) {
        // HDF5 allows a user block before the superblock: the signature sits at 0, 512, 1024, 2048…
        for (int offset = 0; offset < bytes.length; offset = offset == 0 ? 512 : offset * 2) {
            if (ModelFileReader.startsWith(bytes, offset, HDF5_SIGNATURE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param configPath the Keras config a weights-only file needs; ignored for a full model
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    static LoadedModel read(byte[] bytes, String source, String sha256, @Nullable Path configPath) {
        try (HdfFile file = HdfFile.fromBytes(bytes)) {
            String storedConfig = KerasWeights.stringAttribute(file, "model_config");
            String kerasVersion = KerasWeights.stringAttribute(file, "keras_version");
            return storedConfig != null
                    ? readFullModel(file, storedConfig, kerasVersion, source, sha256)
                    : readWeightsWithConfig(file, configPath, kerasVersion, source, sha256);
        }
    }

    private static LoadedModel readFullModel(HdfFile file, String storedConfig, @Nullable String kerasVersion,
                                             String source, String sha256) {
        if (!(file.getChild("model_weights") instanceof Group modelWeights)) {
            throw new IllegalArgumentException("the .h5 has a model_config but no model_weights group "
                    + "(saved without weights?)");
        }
        JsonNode configJson = ModelFileReader.parseJson(storedConfig.getBytes(StandardCharsets.UTF_8), "model_config");
        KerasModelConfig config = KerasConfigParser.parse(configJson, ModelFileReader.kerasMajorVersion(kerasVersion, 2));
        KerasWeights weights = KerasWeights.fromLegacyGroup(modelWeights, config);
        return new LoadedModel(config.toModel(weights), LEGACY_KIND, kerasVersion, source, sha256,
                config.dtype().saved());
    }

    private static LoadedModel readWeightsWithConfig(HdfFile file, @Nullable Path configPath,
                                                     @Nullable String kerasVersion, String source, String sha256) {
        if (configPath == null) {
            throw new IllegalArgumentException("a weights-only .h5 (no model_config inside); set model.config "
                    + "(MODEL_CONFIG) to the model's Keras config.json or model.to_json() file");
        }
        boolean keras3Layout = file.getChild("layers") instanceof Group;
        JsonNode configJson = readConfig(configPath);
        String version = kerasVersion != null ? kerasVersion : configJson.path("keras_version").asString(null);
        KerasModelConfig config;
        try {
            config = KerasConfigParser.parse(configJson, ModelFileReader.kerasMajorVersion(version, keras3Layout ? 3 : 2));
        } catch (IllegalArgumentException e) {
            // a problem of the config file, so name that file
            throw new ModelLoadException(configPath + ": " + e.getMessage(), e);
        }
        KerasWeights weights;
        if (keras3Layout) {
            weights = KerasWeights.fromKeras3File(file, config);
        } else {
            Group legacy = file.getChild("model_weights") instanceof Group g ? g : file;
            if (KerasWeights.stringsAttribute(legacy, "layer_names").isEmpty()) {
                throw new IllegalArgumentException("an HDF5 file without Keras weights (no model_config, no "
                        + "'layers' group, no layer_names attribute)");
            }
            weights = KerasWeights.fromLegacyGroup(legacy, config);
        }
        return new LoadedModel(config.toModel(weights), WEIGHTS_KIND, version, source, sha256,
                config.dtype().saved());
    }

    private static JsonNode readConfig(Path configPath) {
        byte[] bytes = ModelFileReader.readBytes(configPath);
        try {
            return ModelFileReader.parseJson(bytes, "the config");
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(configPath + ": " + e.getMessage(), e);
        }
    }
}
