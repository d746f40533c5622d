package io.rnnserving.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.rnnserving.serving.ServedModel;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document as Swagger UI prefills it, so every operation answers 2xx as prefilled: the served model's
 * name (and TF Serving's one version) wherever it is a path parameter, no binary-only header on a JSON request, and
 * the service's own protocol first.
 */
@Configuration(proxyBeanMethods = false)
class TryItOutConfiguration {
    /** The one version TF Serving's API serves the model as. */
    static final String TF_SERVING_VERSION = "1";
    /** Only for a binary request body; prefilled, Swagger UI would send it with the JSON example too. */
    static final String BINARY_ONLY_HEADER = "Inference-Header-Content-Length";
    /** Tags in the order Swagger UI shows them; the others follow in the document's order. */
    static final List<String> TAG_ORDER = List.of("predict", "model");

    @Bean
    OpenApiCustomizer prefilledAsServed(ServedModel served) {
        String modelName = served.model().name();
        return openApi -> {
            if (openApi.getPaths() != null) {
                openApi.getPaths().values().stream()
                        .flatMap(TryItOutConfiguration::parameters)
                        .forEach(parameter -> prefill(parameter, modelName));
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

    private static void prefill(Parameter parameter, String modelName) {
        if ("path".equals(parameter.getIn()) && "name".equals(parameter.getName())) {
            parameter.setExample(modelName);
        } else if ("path".equals(parameter.getIn()) && "version".equals(parameter.getName())) {
            parameter.setExample(TF_SERVING_VERSION);
        } else if ("header".equals(parameter.getIn()) && BINARY_ONLY_HEADER.equals(parameter.getName())) {
            parameter.setExample(null);
            parameter.setExamples(null);
        }
    }
}
