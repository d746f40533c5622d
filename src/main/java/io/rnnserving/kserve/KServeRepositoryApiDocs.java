package io.rnnserving.kserve;

/** The OpenAPI description of the model repository extension: texts and examples as the default model answers. */
final class KServeRepositoryApiDocs {
    /** The security scheme of load and unload, defined in the OpenAPI setup. */
    static final String MANAGEMENT_TOKEN = "managementToken";

    static final String INDEX_DESCRIPTION = "Every model version of the repository and its state, in Triton's words: "
            + "READY (answering), LOADING, UNLOADING, or UNAVAILABLE with the reason (unloaded, or why it failed to "
            + "load). With {\"ready\": true}, only the READY ones.";

    static final String LOAD_DESCRIPTION = "Reads the model's versions now, whatever their age and failed ones again "
            + "too, and serves them by the version policy; after an unload, polling keeps the model in step again. "
            + "Needs the management token.";

    static final String UNLOAD_DESCRIPTION = "Stops giving the model's versions to new requests until it is loaded "
            + "again; requests already running finish on them, then their weights are released. Needs the management "
            + "token.";

    static final String INDEX_EXAMPLE = """
            [{"name": "notebook-simple-rnn", "version": "1", "state": "READY", "reason": ""}]""";

    static final String BAD_INDEX_REQUEST_EXAMPLE = """
            {"error": "the body is not the JSON object this endpoint takes"}""";

    static final String LOAD_FAILED_EXAMPLE = """
            {"error": "failed to load 'fraud': version 2: /models/fraud/2/model.keras: not a readable .keras (zip) \
            archive, truncated or corrupt (unexpected EOF)"}""";

    static final String UNAUTHORIZED_EXAMPLE = """
            {"error": "loading and unloading models needs the header Authorization: Bearer <management token>"}""";

    static final String FORBIDDEN_EXAMPLE = """
            {"error": "loading and unloading models is off: set rnn-serving.management.token \
            (RNN_SERVING_MANAGEMENT_TOKEN) to allow it with that bearer token"}""";

    static final String NO_SUCH_MODEL_EXAMPLE = """
            {"error": "no model 'fraud' in /models (models: churn, notebook)"}""";

    static final String NOT_SERVED_EXAMPLE = """
            {"error": "model 'fraud' is not served here; models: churn, notebook"}""";

    private KServeRepositoryApiDocs() {
    }
}
