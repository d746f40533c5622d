package io.rnnserving.problem;

import io.micrometer.core.instrument.MeterRegistry;
import io.rnnserving.serving.QueueTimeoutException;
import io.rnnserving.repository.ModelNotFoundException;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Errors as the KServe v2 and TF Serving protocols have them, {@code {"error": "..."}}, ahead of the service's
 * problem+json; the status of a refused request is kept (400, 404, 413), never a stack trace or class name.
 * Each protocol scopes a subclass to its own package.
 */
public abstract class ErrorStringAdvice {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final MeterRegistry meters;

    protected ErrorStringAdvice(MeterRegistry meters) {
        this.meters = meters;
    }

    @Schema(name = "ProtocolError", description = "An error of the KServe v2 or TF Serving endpoints")
    public record ErrorBody(String error) {
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ErrorBody> invalidRequest(InvalidRequestException e) {
        meters.counter("rnn.problems", "type", e.kind().slug()).increment();
        // the protocol's error is one string, so the place of the problem goes into it
        return ResponseEntity.status(e.kind().status()).headers(ProblemAnswers.retryAfter(e.kind()))
                .contentType(MediaType.APPLICATION_JSON).body(new ErrorBody(e.pointer() == null || e.pointer().isEmpty()
                        ? e.detail() : e.detail() + " (at " + e.pointer() + ")"));
    }

    @ExceptionHandler(QueueTimeoutException.class)
    ResponseEntity<ErrorBody> overloaded(QueueTimeoutException e) {
        meters.counter("rnn.problems", "type", ProblemKind.SERVICE_UNAVAILABLE.slug()).increment();
        return ResponseEntity.status(503).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()))
                .body(new ErrorBody(e.getMessage()));
    }

    @ExceptionHandler(ModelNotFoundException.class)
    ResponseEntity<ErrorBody> modelNotFound(ModelNotFoundException e) {
        meters.counter("rnn.problems", "type", ProblemKind.NOT_FOUND.slug()).increment();
        return error(ProblemKind.NOT_FOUND.status(), e.getMessage());
    }

    /** A body bound by Spring (the repository index request) that is not the JSON asked for. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadableBody(HttpMessageNotReadableException e) {
        meters.counter("rnn.problems", "type", ProblemKind.MALFORMED_JSON.slug()).increment();
        return error(ProblemKind.MALFORMED_JSON.status(), "the body is not the JSON object this endpoint takes");
    }

    @ExceptionHandler(Exception.class)
    @Nullable ResponseEntity<ErrorBody> unexpected(Exception e) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            log.debug("The client went away before its answer was written: {}", e.toString());
            return null; // nobody to answer
        }
        if (e instanceof HttpRequestMethodNotSupportedException wrongMethod) {
            meters.counter("rnn.problems", "type", ProblemKind.METHOD_NOT_ALLOWED.slug()).increment();
            return ResponseEntity.status(405).headers(wrongMethod.getHeaders()).contentType(MediaType.APPLICATION_JSON)
                    .body(new ErrorBody(AllowedMethods.detail(wrongMethod)));
        }
        if (e instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                    .contentType(MediaType.APPLICATION_JSON).body(new ErrorBody("the request cannot be processed ("
                            + response.getStatusCode().value() + ")"));
        }
        log.error("Unexpected error while serving a request", e);
        return error(500, "the service failed to answer this request; it has been logged");
    }

    private static ResponseEntity<ErrorBody> error(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorBody(message));
    }
}
