package io.rnnserving.kserve;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The rules of an infer body that the annotations cannot state, put into its schema so that the description allows
 * nothing {@link InferRequestReader} refuses: no other fields in the request, a tensor or a requested output; at
 * least one input; tensor names as the server forms them (x, lengths, h0[/layer[/part]]; yhat, hidden[/…],
 * state[/…]); shapes of 1 to 8 positive axes; data of numbers, flat or nested; the parameters refused by name. What
 * depends on the model or on the rest of the request stays in the descriptions: which names and datatypes the model
 * has (GET /v2/models/{name}), a shape that fits them, data that fills the shape, binary_data_size only with the
 * binary header.
 */
@Component
class KServeSchemaRules implements OpenApiCustomizer {
    static final String TENSOR_DATA = "KServeTensorData";
    private static final String OCTET_STREAM = "application/octet-stream";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Schema<?> request = schemas.get("KServeInferRequest");
        if (request == null || request.getProperties() == null) {
            return;
        }
        request.setAdditionalProperties(false);
        request.getProperties().get("inputs").setMinItems(1);

        Schema<?> input = schemas.get("KServeInputTensor");
        input.setAdditionalProperties(false);
        Schema<?> inputName = input.getProperties().get("name");
        inputName.setEnum(null);
        inputName.setPattern("^(x|lengths|h0(/[^/]+){0,2})$");
        Schema<?> shape = input.getProperties().get("shape");
        shape.minItems(1).maxItems(8);
        shape.getItems().setMinimum(BigDecimal.ONE);
        Schema<?> data = input.getProperties().get("data");
        data.setType(null);
        data.setTypes(null);
        data.setItems(null);
        data.set$ref("#/components/schemas/" + TENSOR_DATA);
        schemas.put(TENSOR_DATA, new ArraySchema().minItems(1).items(new Schema<>().oneOf(List.of(
                        new NumberSchema(), new Schema<>().$ref("#/components/schemas/" + TENSOR_DATA))))
                .description("A tensor's numbers, flat row-major or nested as its shape; as many as the shape holds"));

        Schema<?> output = schemas.get("KServeRequestedOutput");
        output.setAdditionalProperties(false);
        Schema<?> outputName = output.getProperties().get("name");
        outputName.setEnum(null);
        outputName.setPattern("^(yhat|(hidden|state)(/[^/]+){0,2})$");

        // springdoc reads an example that parses as JSON into an object; the binary body's schema is a string
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().stream()
                    .map(PathItem::getPost)
                    .filter(operation -> operation != null && operation.getRequestBody() != null
                            && operation.getRequestBody().getContent() != null)
                    .map(operation -> operation.getRequestBody().getContent().get(OCTET_STREAM))
                    .filter(media -> media != null && media.getExamples() != null)
                    .flatMap(media -> media.getExamples().values().stream())
                    .forEach(example -> example.setValue(KServeApiDocs.BINARY_INFER_EXAMPLE));
        }
        refuse(schemas.get("KServeRequestParameters"), "^sequence_(id|start|end)$");
        refuse(schemas.get("KServeInputParameters"), "^shared_memory_");
        refuse(schemas.get("KServeRequestedOutputParameters"), "^(classification$|shared_memory_)");
    }

    /** Parameters the server refuses by name; any other is accepted. */
    private static void refuse(Schema<?> parameters, String names) {
        Map<String, Schema> refused = new LinkedHashMap<>();
        refused.put(names, new Schema<>().not(new Schema<>()));
        parameters.setPatternProperties(refused);
    }
}
