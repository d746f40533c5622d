package io.rnnserving.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.rnnserving.engine.WarmUp;
import io.rnnserving.serving.ServedModel;
import io.rnnserving.loading.LoadedModel;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the model once at startup; a model that cannot be served stops startup (see {@link ModelLoadFailureAnalyzer}). */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ModelConfiguration.class);

    @Bean
    ServedModel servedModel(ModelProperties properties, EngineProperties engine, MeterRegistry meters) {
        LoadedModel loaded = properties.path() == null
                ? ModelFileReader.readDefault()
                : ModelFileReader.read(properties.path(), properties.config());
        log.info("Serving model '{}' ({}, {} parameters, sha256 {}) from {}", loaded.model().name(), loaded.fileKind(),
                loaded.model().parameterCount(), loaded.sha256(), loaded.source());
        ServedModel served = new ServedModel(loaded, engine.toSettings(), meters);
        log.info(StartupLog.kernelLine(served.model(), served.model().stepKernel(), StartupLog.vectorModuleLoaded()));
        WarmUp.Report warmUp = WarmUp.run(served.model(), properties.warmUp());
        log.info("Warmed up in {} ms, {} passes on synthetic input{}", warmUp.elapsed().toMillis(), warmUp.passes(),
                warmUp.settled() || warmUp.passes() == 0 ? "" : " (pass times had not settled within model.warm-up)");
        return served;
    }

    @Bean
    RequestBinder requestBinder(ServedModel model, RequestLimits limits) {
        return new RequestBinder(model.model(), limits);
    }

    @Bean
    RequestLimits requestLimits(LimitsProperties limits) {
        return limits.toRequestLimits();
    }
}
