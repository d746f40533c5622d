package io.rnnserving.system;

import java.util.Arrays;
import java.util.List;

import io.rnnserving.problem.ProblemKind;
import io.rnnserving.repository.ModelRepositoryFolder;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document served at /v3/api-docs (and committed as openapi/openapi.yaml): title, version, servers,
 * and the problem+json schema every error response refers to.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    /** The version of the API contract, not of the jar: it changes when the wire format does. */
    static final String API_VERSION = "1.0.0";
    /** The security scheme of the operations that change what is served (named so in the kserve package's docs). */
    static final String MANAGEMENT_TOKEN = "managementToken";

    static final String DESCRIPTION = """
            Serves a Keras SimpleRNN model over HTTP, computing exactly what Keras computes, without Python.

            `POST /predict` runs a batch of sequences through the served model; `GET /model` describes it as \
            Keras' `model.summary()` does. With a model repository (`model.repository`), `GET /models` lists every \
            model and the state of each version, and `/models/{name}[/versions/{version}]/predict` asks one of them; \
            new versions copied into the repository are swapped in without a restart. Every error of this API is `application/problem+json` (RFC 9457) with a \
            stable `type` of the form `urn:rnn-serving:problem:<kind>`, a fixed `title`, a human `detail` and, for \
            input errors, the JSON `pointer` of the first offending place.

            Operations (not part of this contract): `GET /actuator/health` (with `/liveness` and `/readiness` \
            probes) and `GET /actuator/prometheus`.""";

    @Bean
    OpenAPI rnnServingOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("rnn-serving")
                        .version(API_VERSION)
                        .description(DESCRIPTION))
                // relative, so that Swagger UI calls whichever host and port served it
                .servers(List.of(new Server().url("/").description("The service that served this document")))
                .components(new Components().addSecuritySchemes(MANAGEMENT_TOKEN, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("rnn-serving.management.token (RNN_SERVING_MANAGEMENT_TOKEN): load and unload "
                                + "are refused (403) while it is unset")));
    }

    /** A version in a path is a number as the repository names its folders; anything else is not served. */
    @Bean
    OpenApiCustomizer versionParameters() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().stream()
                    .flatMap(path -> path.readOperations().stream())
                    .filter(operation -> operation.getParameters() != null)
                    .flatMap(operation -> operation.getParameters().stream())
                    .filter(parameter -> "path".equals(parameter.getIn()) && "version".equals(parameter.getName()))
                    .forEach(parameter -> parameter.getSchema().setPattern("^" + ModelRepositoryFolder.VERSION.pattern() + "$"));
        };
    }

    /** Lists every problem type the service can answer, from the one enum that defines them. */
    @Bean
    OpenApiCustomizer problemTypes() {
        return openApi -> {
            if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
                return;
            }
            Schema<?> problem = openApi.getComponents().getSchemas().get("Problem");
            if (problem == null || problem.getProperties() == null) {
                return;
            }
            @SuppressWarnings("unchecked")
            Schema<Object> type = (Schema<Object>) problem.getProperties().get("type");
            type.setEnum(Arrays.stream(ProblemKind.values()).map(kind -> (Object) kind.type().toString()).toList());
        };
    }
}
