package io.rnnserving.tfserving;

import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The rules of a predict body that the annotations cannot state, put into its schema so that the description allows
 * nothing {@link PredictionRequestReader} refuses: exactly one of instances and inputs, no other fields, no empty
 * array, every instance of one form (all T×D, all T ids or all {"x": ...}), the one input named x. The number of
 * features D, whether the model takes numbers or token ids, and that all samples have one shape are the model's or
 * the request's and stay in the descriptions.
 */
@Component
class TfServingSchemaRules implements OpenApiCustomizer {
    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Schema<?> request = openApi.getComponents().getSchemas().get("TfServingPredictRequest");
        if (request == null || request.getProperties() == null) {
            return;
        }
        request.setAdditionalProperties(false);
        request.setOneOf(List.of(new Schema<>().required(List.of("instances")),
                new Schema<>().required(List.of("inputs"))));
        request.getProperties().put("signature_name", new StringSchema()._enum(List.of("", "serving_default"))
                .description(request.getProperties().get("signature_name").getDescription()));

        Schema<?> instances = request.getProperties().get("instances");
        instances.setType(null);
        instances.setTypes(null);
        instances.setItems(null);
        instances.setOneOf(List.of(nonEmpty(sample()), nonEmpty(named(sample()))));

        Schema<?> inputs = request.getProperties().get("inputs");
        inputs.setOneOf(List.of(batch(), named(batch())));
    }

    /** One sample: T×D numbers, or T token ids for a model that starts with an Embedding. */
    private static Schema<?> sample() {
        return new Schema<>().oneOf(List.of(nonEmpty(nonEmpty(new NumberSchema())), nonEmpty(tokenId())));
    }

    /** N samples: N×T×D numbers, or N×T token ids. */
    private static Schema<?> batch() {
        return new Schema<>().oneOf(List.of(nonEmpty(nonEmpty(nonEmpty(new NumberSchema()))),
                nonEmpty(nonEmpty(tokenId()))));
    }

    private static Schema<?> tokenId() {
        return new IntegerSchema().format("int64").minimum(BigDecimal.ZERO);
    }

    /** {"x": value}: the model's one input by name. */
    private static Schema<?> named(Schema<?> value) {
        return new ObjectSchema().addProperty(PredictionRequestReader.INPUT, value)
                .required(List.of(PredictionRequestReader.INPUT)).additionalProperties(false);
    }

    private static Schema<?> nonEmpty(Schema<?> items) {
        return new ArraySchema().minItems(1).items(items);
    }
}
