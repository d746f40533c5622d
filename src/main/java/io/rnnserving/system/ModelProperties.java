package io.rnnserving.system;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which model to serve.
 *
 * @param path   the model file (env {@code MODEL_PATH}); unset serves the embedded notebook model
 * @param config a Keras config for a weights-only file (env {@code MODEL_CONFIG})
 */
@ConfigurationProperties("model")
public record ModelProperties(@Nullable Path path, @Nullable Path config) {
}
