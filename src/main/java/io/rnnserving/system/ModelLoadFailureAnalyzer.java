package io.rnnserving.system;

import io.rnnserving.loading.ModelLoadException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a model that cannot be loaded into one line at startup instead of a stack trace. */
class ModelLoadFailureAnalyzer extends AbstractFailureAnalyzer<ModelLoadException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ModelLoadException cause) {
        return new FailureAnalysis("Cannot serve the model: " + cause.getMessage(),
                "Point model.path (MODEL_PATH) at a valid model file, or unset it to serve the embedded default model.",
                cause);
    }
}
