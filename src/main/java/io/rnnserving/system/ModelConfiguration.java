package io.rnnserving.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.loading.LoadedModel;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.loading.ModelLoadException;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelRepositoryFolder;
import io.rnnserving.repository.ModelStatus;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.repository.SingleModelSource;
import io.rnnserving.repository.VersionFiles;
import io.rnnserving.repository.VersionPolicy;
import io.rnnserving.repository.VersionSource;
import io.rnnserving.serving.MemoryBudget;
import io.rnnserving.serving.RequestLimits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the models at startup: a repository folder, else the one file of {@code MODEL_PATH}, else the embedded
 * notebook model. A model that cannot be served stops startup (see {@link ModelLoadFailureAnalyzer}).
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ModelConfiguration.class);

    @Bean(destroyMethod = "close")
    ModelRepository modelRepository(ModelProperties properties, EngineProperties engine, BatchingProperties batching,
                                    MeterRegistry meters) {
        ModelRepository repository = new ModelRepository(computedIn(source(properties), properties.precision()),
                settings(properties, engine, batching), meters);
        repository.start();
        for (ModelStatus model : repository.models()) {
            try (ModelVersion.Lease lease = repository.acquireLatest(model.name())) {
                RecurrentModel served = lease.served().model();
                log.info("Model '{}': {}", model.name(),
                        StartupLog.kernelLine(served, served.stepKernel(), StartupLog.vectorModuleLoaded()));
            }
        }
        return repository;
    }

    private static VersionSource source(ModelProperties properties) {
        Path folder = properties.repository();
        Path file = properties.path();
        if (folder != null) {
            if (file != null) {
                throw new ModelLoadException("model.repository (MODEL_REPOSITORY) and model.path (MODEL_PATH) are both "
                        + "set; set one: a repository serves every model in it");
            }
            log.info("Serving the model repository {}", folder.toAbsolutePath());
            return new ModelRepositoryFolder(folder);
        }
        if (file == null) {
            return new SingleModelSource(ModelFileReader.readDefault(), ModelFileReader::readDefault);
        }
        Path config = properties.config();
        LoadedModel loaded = ModelFileReader.read(file, config);
        return new SingleModelSource(loaded, () -> ModelFileReader.read(file, config));
    }

    /** The source, its models computed in {@code precision} when model.precision sets one. */
    private static VersionSource computedIn(VersionSource source, @Nullable Precision precision) {
        if (precision == null) {
            return source;
        }
        return new VersionSource() {
            @Override
            public Map<String, List<VersionFiles>> scan() {
                Map<String, List<VersionFiles>> scanned = new LinkedHashMap<>();
                source.scan().forEach((model, versions) -> scanned.put(model, versions.stream()
                        .map(files -> new VersionFiles(files.version(), files.location(), files.fingerprint(),
                                () -> files.reader().get().computedIn(precision)))
                        .toList()));
                return scanned;
            }

            @Override
            public String location() {
                return source.location();
            }
        };
    }

    private static ModelRepository.Settings settings(ModelProperties properties, EngineProperties engine,
                                                     BatchingProperties batching) {
        VersionPolicy.ByModel policies;
        try {
            policies = VersionPolicy.ByModel.parse(properties.versionPolicy());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("model.version-policy: " + e.getMessage());
        }
        // one file is one version: there is nothing to poll for
        Duration poll = properties.repository() == null ? Duration.ZERO : properties.pollInterval();
        return new ModelRepository.Settings(policies, properties.defaultModel(), poll, properties.warmUp(),
                engine.toSettings(), batching.toSettings());
    }

    @Bean
    MemoryBudget memoryBudget(AdmissionProperties admission) {
        return admission.toBudget();
    }

    @Bean
    RequestLimits requestLimits(LimitsProperties limits) {
        return limits.toRequestLimits();
    }
}
