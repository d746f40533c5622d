package io.rnnserving.tfserving;

import io.micrometer.core.instrument.MeterRegistry;
import io.rnnserving.problem.ErrorStringAdvice;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The TfServing endpoints' errors in the protocol's own {@code {"error": "..."}} form. */
@RestControllerAdvice(basePackageClasses = TfServingController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class TfServingErrorAdvice extends ErrorStringAdvice {

    TfServingErrorAdvice(MeterRegistry meters) {
        super(meters);
    }
}
