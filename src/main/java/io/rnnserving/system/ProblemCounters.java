package io.rnnserving.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rnnserving.problem.ProblemKind;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * rnn_problems_total, registered at startup for every problem type with its description, so Prometheus gets a HELP
 * text and a zero for each type before the first error; the error handlers count into these same counters.
 */
@Configuration(proxyBeanMethods = false)
class ProblemCounters {
    @Bean
    MeterBinder problemTypeCounters() {
        return registry -> {
            for (ProblemKind kind : ProblemKind.values()) {
                Counter.builder("rnn.problems")
                        .description("Error answers (problem+json or {\"error\"}), by problem type: the last part of "
                                + "urn:rnn-serving:problem:<type>")
                        .tag("type", kind.slug())
                        .register(registry);
            }
        };
    }
}
