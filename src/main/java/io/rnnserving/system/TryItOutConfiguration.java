package io.rnnserving.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.rnnserving.repository.ModelNotFoundException;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document as Swagger UI prefills it, so every operation answers 2xx as prefilled: a served model's
 * name (the default one, else the first) and its highest AVAILABLE version wherever they are path parameters, no
 * binary-only header on a JSON request, and the service's own protocol first.
 */
@Configuration(proxyBeanMethods = false)
class TryItOutConfiguration {
    /** Only for a binary request body; prefilled, Swagger UI would send it with the JSON example too. */
    static final String BINARY_ONLY_HEADER = "Inference-Header-Content-Length";
    /** Tags in the order Swagger UI shows them; the others follow in the document's order. */
    static final List<String> TAG_ORDER = List.of("predict", "model");

    @Bean
    OpenApiCustomizer prefilledAsServed(ModelRepository models) {
        return openApi -> {
            if (openApi.getPaths() != null) {
                String modelName = prefilledModel(models);
                String version;
                try (ModelVersion.Lease lease = models.acquireLatest(modelName)) {
                    version = Long.toString(lease.version());
                }
                openApi.getPaths().values().stream()
                        .flatMap(TryItOutConfiguration::parameters)
                        .forEach(parameter -> prefill(parameter, modelName, version));
            }
            if (openApi.getTags() != null) {
                List<Tag> tags = new ArrayList<>(openApi.getTags());
                tags.sort(Comparator.comparingInt(tag -> {
                    int index = TAG_ORDER.indexOf(tag.getName());
                    return index < 0 ? TAG_ORDER.size() : index;
                }));
                openApi.setTags(tags);
            }
        };
    }

    private static Stream<Parameter> parameters(PathItem path) {
        Stream<Parameter> shared = path.getParameters() == null ? Stream.empty() : path.getParameters().stream();
        Stream<Parameter> own = path.readOperations().stream()
                .filter(operation -> operation.getParameters() != null)
                .flatMap(operation -> operation.getParameters().stream());
        return Stream.concat(shared, own);
    }

    private static String prefilledModel(ModelRepository models) {
        try {
            return models.defaultModel();
        } catch (ModelNotFoundException severalAndNoDefault) {
            return models.models().get(0).name();
        }
    }

    private static void prefill(Parameter parameter, String modelName, String version) {
        if ("path".equals(parameter.getIn()) && "name".equals(parameter.getName())) {
            parameter.setExample(modelName);
        } else if ("path".equals(parameter.getIn()) && "version".equals(parameter.getName())) {
            parameter.setExample(version);
        } else if ("header".equals(parameter.getIn()) && BINARY_ONLY_HEADER.equals(parameter.getName())) {
            parameter.setExample(null);
            parameter.setExamples(null);
        }
    }
}
