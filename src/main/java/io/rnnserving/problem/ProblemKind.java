package io.rnnserving.problem;

import java.net.URI;

/** Each kind of problem a request can have: one stable type URI, title and status per kind. */
public enum ProblemKind {
    MALFORMED_JSON("malformed-json", "Malformed JSON", 400),
    MISSING_FIELD("missing-field", "Missing field", 400),
    UNKNOWN_FIELD("unknown-field", "Unknown field", 400),
    DUPLICATE_FIELD("duplicate-field", "Duplicate field", 400),
    WRONG_TYPE("wrong-type", "Wrong JSON type", 400),
    INVALID_NUMBER("invalid-number", "Number not allowed", 400),
    WRONG_SHAPE("wrong-shape", "Wrong shape", 400),
    BODY_TOO_LARGE("body-too-large", "Request body too large", 413),
    BATCH_TOO_LARGE("batch-too-large", "Batch too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    BAD_REQUEST("bad-request", "Bad request", 400),
    SERVICE_UNAVAILABLE("service-unavailable", "Service unavailable", 503),
    INTERNAL_ERROR("internal-error", "Internal error", 500);

    private static final String TYPE_PREFIX = "urn:rnn-serving:problem:";

    private final String slug;
    private final String title;
    private final int status;
    private final URI type;

    ProblemKind(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
        this.type = URI.create(TYPE_PREFIX + slug);
    }

    public URI type() {
        return type;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
