package io.rnnserving.loading;

import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import org.jspecify.annotations.Nullable;

/**
 * A model ready to serve and where it came from.
 *
 * @param fileKind     what kind of file it was read from, e.g. {@code "rnn-serving JSON"}, {@code "Keras 3 .keras"}
 * @param kerasVersion the Keras version that wrote the file, when the file says
 * @param source       the file (or classpath resource) it was read from
 * @param sha256       hex SHA-256 of the file's bytes (of the weights file, when weights and config are apart)
 * @param savedDtype   the dtype (policy) the file gives the model, e.g. {@code float32}, {@code mixed_float16};
 *                     {@code model().precision()} is what it computes in
 */
public record LoadedModel(RecurrentModel model, String fileKind, @Nullable String kerasVersion, String source,
                          String sha256, String savedDtype) {

    /** The same model computed in {@code precision}, whatever it was saved with ({@code model.precision}). */
    public LoadedModel computedIn(Precision precision) {
        return new LoadedModel(model.withPrecision(precision), fileKind, kerasVersion, source, sha256, savedDtype);
    }
}
