package io.rnnserving.system;

import io.rnnserving.engine.EngineSettings;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the engine runs ({@code rnn-serving.engine.*}), given to the model when it is served.
 *
 * @param threads    threads one large batch is split over; unset, every core
 * @param vector     false keeps the plain-Java step kernel even where the Vector API module is loaded
 * @param vectorBits the float32 SIMD kernel's vector width: {@code auto} (the machine's widest), {@code 256} (as an
 *                   AVX2 machine runs, also on an AVX-512 one) or {@code 512}
 */
@ConfigurationProperties("rnn-serving.engine")
@Validated
public record EngineProperties(@Nullable @Min(1) Integer threads, @DefaultValue("true") boolean vector,
                               @DefaultValue("auto") @Pattern(regexp = "auto|256|512") String vectorBits) {

    public EngineSettings toSettings() {
        return new EngineSettings(threads == null ? Runtime.getRuntime().availableProcessors() : threads, vector,
                EngineSettings.vectorBits(vectorBits));
    }
}
