package io.rnnserving.modelinfo;

/** The OpenAPI description of GET /model and /models: its examples, as the default model answers. */
final class ModelInfoApiDocs {
    static final String DESCRIPTION = "Name, input shape, each layer with its Keras class, units, activation, output "
            + "shape and parameter count as model.summary() prints them, the total, and the file it was read from "
            + "(its kind, Keras version and SHA-256). The service is stateless: statefulNote says how a model saved "
            + "with stateful=True is served.";

    static final String RESPONSE_EXAMPLE = """
            {"name": "notebook-simple-rnn", "inputShape": [10, 3],
             "layers": [
               {"name": "simple_rnn", "className": "SimpleRNN", "units": 5, "activation": "tanh",
                "outputShape": [null, 5], "params": 45, "returnSequences": false, "goBackwards": false,
                "stateful": false, "useBias": true},
               {"name": "dense", "className": "Dense", "units": 2, "activation": "linear", "outputShape": [null, 2],
                "params": 12, "useBias": true}],
             "totalParams": 57, "fileKind": "rnn-serving JSON", "kerasVersion": null,
             "dtype": "float32", "precision": "float32",
             "sha256": "38c72f5e0b8bf68b33371f132cbf8dddeacecee25acc4669ddf5d52111ba84c4", "stateful": false,
             "statefulNote": "Every request starts from a zero state unless it gives h0."}""";

    static final String VERSION_RESPONSE_EXAMPLE = """
            {"name": "notebook-simple-rnn", "version": 1, "inputShape": [10, 3],
             "layers": [
               {"name": "simple_rnn", "className": "SimpleRNN", "units": 5, "activation": "tanh",
                "outputShape": [null, 5], "params": 45, "returnSequences": false, "goBackwards": false,
                "stateful": false, "useBias": true},
               {"name": "dense", "className": "Dense", "units": 2, "activation": "linear", "outputShape": [null, 2],
                "params": 12, "useBias": true}],
             "totalParams": 57, "fileKind": "rnn-serving JSON", "kerasVersion": null,
             "dtype": "float32", "precision": "float32",
             "sha256": "38c72f5e0b8bf68b33371f132cbf8dddeacecee25acc4669ddf5d52111ba84c4", "stateful": false,
             "statefulNote": "Every request starts from a zero state unless it gives h0."}""";

    static final String MODELS_DESCRIPTION = "Every model of the repository by name, and each version with its state: "
            + "LOADING (being read, checked and warmed up), AVAILABLE (answering), UNLOADING (no longer given to new "
            + "requests; those running on it finish), END (released), FAILED (could not be served; reason says why, in "
            + "one line). With MODEL_PATH or the embedded model, the one model is version 1.";

    static final String MODELS_EXAMPLE = """
            {"models": [{"name": "notebook-simple-rnn", "versions": [{"version": 1, "state": "AVAILABLE"}]}]}""";

    static final String MODELS_NOT_ACCEPTABLE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-acceptable", "title": "Not acceptable", "status": 406,
             "detail": "this endpoint answers application/json (errors as application/problem+json)",
             "instance": "/models"}""";

    static final String UNKNOWN_MODEL_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-found", "title": "Not found", "status": 404,
             "detail": "model 'fraud' is not served here; models: notebook-simple-rnn", "instance": "/models/fraud"}""";

    static final String UNKNOWN_VERSION_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-found", "title": "Not found", "status": 404,
             "detail": "model 'notebook-simple-rnn' version 7 is not served; AVAILABLE versions: 1",
             "instance": "/models/notebook-simple-rnn/versions/7"}""";

    static final String NOT_ACCEPTABLE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-acceptable", "title": "Not acceptable", "status": 406,
             "detail": "this endpoint answers application/json (errors as application/problem+json)",
             "instance": "/model"}""";

    static final String INTERNAL_ERROR_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:internal-error", "title": "Internal error", "status": 500,
             "detail": "the service failed to answer this request; it has been logged", "instance": "/model"}""";

    private ModelInfoApiDocs() {
    }
}
