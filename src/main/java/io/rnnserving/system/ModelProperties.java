package io.rnnserving.system;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which model to serve.
 *
 * @param path   the model file (env {@code MODEL_PATH}); unset serves the embedded notebook model
 * @param config a Keras config for a weights-only file (env {@code MODEL_CONFIG})
 * @param warmUp at most how long to run the model on synthetic input before the service is ready, so the first
 *               request finds the engine compiled (env {@code MODEL_WARM_UP}); 0 skips it
 */
@ConfigurationProperties("model")
public record ModelProperties(@Nullable Path path, @Nullable Path config, @DefaultValue("10s") Duration warmUp) {
}
