package io.rnnserving.tfserving;

import io.micrometer.core.instrument.MeterRegistry;
import io.rnnserving.request.InvalidRequestException;
import io.swagger.v3.oas.annotations.media.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the TF Serving endpoints as the protocol has them, {@code {"error": "..."}}, ahead of the service's
 * problem+json; the status of a refused request is kept (400, 404, 413), never a stack trace or class name.
 */
@RestControllerAdvice(basePackageClasses = TfServingController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class TfServingErrorAdvice {
    private static final Logger log = LoggerFactory.getLogger(TfServingErrorAdvice.class);
    private final MeterRegistry meters;

    TfServingErrorAdvice(MeterRegistry meters) {
        this.meters = meters;
    }

    @Schema(name = "TfServingError")
    record ErrorBody(String error) {
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ErrorBody> invalidRequest(InvalidRequestException e) {
        meters.counter("rnn.problems", "type", e.kind().slug()).increment();
        // the protocol's error is one string, so the place of the problem goes into it
        return error(e.kind().status(), e.pointer() == null || e.pointer().isEmpty()
                ? e.detail() : e.detail() + " (at " + e.pointer() + ")");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception e) {
        if (e instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            return error(response.getStatusCode().value(), "the request cannot be processed ("
                    + response.getStatusCode().value() + ")");
        }
        log.error("Unexpected error while serving a TF Serving request", e);
        return error(500, "the service failed to answer this request; it has been logged");
    }

    private static ResponseEntity<ErrorBody> error(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorBody(message));
    }
}
