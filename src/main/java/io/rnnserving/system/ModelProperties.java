package io.rnnserving.system;

import java.nio.file.Path;
import java.time.Duration;

import io.rnnserving.engine.Precision;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * Which models to serve.
 *
 * @param repository    a folder of {@code <model name>/<version>/<model file(s)>} (env {@code MODEL_REPOSITORY})
 * @param path          a single model file (env {@code MODEL_PATH}), served as the one version of one model named by
 *                      the file; with neither set, the embedded notebook model is served
 * @param config        a Keras config for a weights-only file given as {@code path} (env {@code MODEL_CONFIG})
 * @param versionPolicy which versions of the repository's models to serve: {@code latest}, {@code all} or a list
 *                      such as {@code 1,3}, for all models or per model ({@code latest; fraud=all; churn=1,3})
 * @param pollInterval  how often the repository is looked at for new, changed and removed versions; 0 turns it off
 * @param defaultModel  the model that {@code POST /predict} and {@code GET /model} serve when there are several
 * @param warmUp        at most how long to run each new model version on synthetic input before it serves, so the
 *                      first request finds the engine compiled (env {@code MODEL_WARM_UP}); 0 skips it
 * @param precision     what every model computes in (env {@code MODEL_PRECISION}): {@code float64} for double answers
 *                      from float32 models, {@code float32}; unset, each model's own dtype as saved
 */
@ConfigurationProperties("model")
public record ModelProperties(@Nullable Path repository, @Nullable Path path, @Nullable Path config,
                              @DefaultValue("latest") String versionPolicy,
                              @DefaultValue("2s") Duration pollInterval,
                              @Name("default") @Nullable String defaultModel,
                              @DefaultValue("10s") Duration warmUp,
                              @Nullable Precision precision) {
}
