package io.rnnserving.problem;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The one place where a problem of the service's own API becomes its answer: problem+json with the kind's type,
 * title and status, the detail, the pointer, Retry-After for a 503, counted in rnn_problems_total (each type's
 * counter looked up once, after ProblemCounters has registered it with its description).
 */
@Component
public class ProblemAnswers {
    static final String NO_ENDPOINT = "no such endpoint";

    private final MeterRegistry meters;
    private final Map<ProblemKind, Counter> counters = new ConcurrentHashMap<>();

    public ProblemAnswers(MeterRegistry meters) {
        this.meters = meters;
    }

    public ResponseEntity<Object> of(InvalidRequestException refused) {
        return of(refused.kind(), refused.detail(), refused.pointer());
    }

    /** The 404 of a path that no endpoint serves, without the exception Spring MVC would throw for it. */
    public ResponseEntity<Object> noEndpoint() {
        return of(ProblemKind.NOT_FOUND, NO_ENDPOINT, null);
    }

    ResponseEntity<Object> of(ProblemKind kind, String detail, @Nullable String pointer) {
        count(kind);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(kind.status()), detail);
        problem.setType(kind.type());
        problem.setTitle(kind.title());
        if (pointer != null) {
            problem.setProperty("pointer", pointer);
        }
        return ResponseEntity.status(kind.status()).headers(retryAfter(kind))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    void count(ProblemKind kind) {
        counters.computeIfAbsent(kind, k -> meters.counter("rnn.problems", "type", k.slug())).increment();
    }

    /** A request refused for want of memory may come back once the requests in progress are answered. */
    static HttpHeaders retryAfter(ProblemKind kind) {
        HttpHeaders headers = new HttpHeaders();
        if (kind == ProblemKind.SERVICE_UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, "1");
        }
        return headers;
    }
}
