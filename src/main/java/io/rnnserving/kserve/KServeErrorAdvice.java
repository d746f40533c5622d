package io.rnnserving.kserve;

import io.micrometer.core.instrument.MeterRegistry;
import io.rnnserving.problem.ErrorStringAdvice;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The KServe endpoints' errors in the protocol's own {@code {"error": "..."}} form. */
@RestControllerAdvice(basePackageClasses = KServeController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class KServeErrorAdvice extends ErrorStringAdvice {

    KServeErrorAdvice(MeterRegistry meters) {
        super(meters);
    }
}
