package io.rnnserving.problem;

import io.rnnserving.serving.QueueTimeoutException;
import io.rnnserving.repository.ModelNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Every error of the service's own API as {@code application/problem+json} (RFC 9457): one stable type per
 * kind of problem, a human detail, and for input errors the JSON pointer of the first offending place. Never a
 * stack trace, class name or internal path.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private final ProblemAnswers answers;

    ProblemDetailsAdvice(ProblemAnswers answers) {
        this.answers = answers;
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> invalidRequest(InvalidRequestException e) {
        return answers.of(e);
    }

    @ExceptionHandler(QueueTimeoutException.class)
    ResponseEntity<Object> overloaded(QueueTimeoutException e) {
        ResponseEntity<Object> problem = problem(ProblemKind.SERVICE_UNAVAILABLE, e.getMessage(), null);
        return ResponseEntity.status(problem.getStatusCode()).headers(problem.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds())).body(problem.getBody());
    }

    @ExceptionHandler(ModelNotFoundException.class)
    ResponseEntity<Object> modelNotFound(ModelNotFoundException e) {
        return problem(ProblemKind.NOT_FOUND, e.getMessage(), null);
    }

    @ExceptionHandler(Exception.class)
    @Nullable ResponseEntity<Object> unexpected(Exception e) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            log.debug("The client went away before its answer was written: {}", e.toString());
            return null; // nobody to answer
        }
        log.error("Unexpected error while serving a request", e);
        return problem(ProblemKind.INTERNAL_ERROR, "the service failed to answer this request; it has been logged",
                null);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ProblemKind kind = kindOf(e, status);
        String detail = switch (kind) {
            case UNSUPPORTED_MEDIA_TYPE -> "the body must be application/json";
            case NOT_ACCEPTABLE -> "this endpoint answers application/json (errors as application/problem+json)";
            case NOT_FOUND -> ProblemAnswers.NO_ENDPOINT;
            case METHOD_NOT_ALLOWED -> AllowedMethods.detail((HttpRequestMethodNotSupportedException) e);
            default -> "the request cannot be processed";
        };
        ResponseEntity<Object> response = problem(kind, detail, null);
        HttpHeaders merged = new HttpHeaders();
        merged.addAll(headers);
        merged.addAll(response.getHeaders());
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(response.getBody(), merged, response.getStatusCode());
    }

    private static ProblemKind kindOf(Exception e, HttpStatusCode status) {
        if (e instanceof HttpMediaTypeNotSupportedException) {
            return ProblemKind.UNSUPPORTED_MEDIA_TYPE;
        }
        if (e instanceof HttpMediaTypeNotAcceptableException) {
            return ProblemKind.NOT_ACCEPTABLE;
        }
        if (e instanceof NoResourceFoundException || status.value() == 404) {
            return ProblemKind.NOT_FOUND;
        }
        if (e instanceof HttpRequestMethodNotSupportedException) {
            return ProblemKind.METHOD_NOT_ALLOWED;
        }
        return status.is5xxServerError() ? ProblemKind.INTERNAL_ERROR : ProblemKind.BAD_REQUEST;
    }

    private ResponseEntity<Object> problem(ProblemKind kind, String detail, @Nullable String pointer) {
        return answers.of(kind, detail, pointer);
    }
}
