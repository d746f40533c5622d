package io.rnnserving.system;

import io.rnnserving.loading.ModelLoadException;
import io.rnnserving.repository.RepositoryLoadException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a model that cannot be loaded into one line at startup (one per failure for a repository), not a stack trace. */
class ModelLoadFailureAnalyzer extends AbstractFailureAnalyzer<ModelLoadException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ModelLoadException cause) {
        if (cause instanceof RepositoryLoadException repository) {
            return new FailureAnalysis("Cannot serve the model repository " + repository.location() + ":"
                    + String.join("", repository.failures().stream().map(line -> "\n  Cannot serve " + line).toList()),
                    "Fix or remove the versions named above in model.repository (MODEL_REPOSITORY); a model is served "
                            + "once one of its versions loads.", cause);
        }
        return new FailureAnalysis("Cannot serve the model: " + cause.getMessage(),
                "Point model.path (MODEL_PATH) at a valid model file, or unset it to serve the embedded default model.",
                cause);
    }
}
