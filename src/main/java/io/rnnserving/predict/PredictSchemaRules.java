package io.rnnserving.predict;

import io.swagger.v3.oas.models.OpenAPI;
import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The rules of a POST /predict body that the annotations cannot state, put into its schema so that the description
 * allows nothing the service refuses: no other fields, no empty array anywhere in x, lengths of at least 1; and
 * StatesByLayer without the {@code empty} property springdoc reads off its map class, each layer's value an N×M
 * state or an object of N×M parts. The number of features per
 * timestep is the model's, which a repository may change from version to version, so the schema leaves it open; x is
 * N×T×D numbers or, for a model that starts with an Embedding, N×T token ids.
 */
@Component
class PredictSchemaRules implements OpenApiCustomizer {
    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Schema<?> request = openApi.getComponents().getSchemas().get("PredictRequest");
        if (request != null && request.getProperties() != null) {
            request.setAdditionalProperties(false);
            Schema<?> x = request.getProperties().get("x");
            x.setType(null);
            x.setTypes(null);
            x.setItems(null);
            x.setOneOf(List.of(
                    nonEmpty(nonEmpty(nonEmpty(new NumberSchema())))
                            .description("N×T×D numbers, D the model's features (GET /model: inputShape [T, D]); for a "
                                    + "model that starts with an Embedding, D is 1 and each number a token id"),
                    nonEmpty(nonEmpty(new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)))
                            .description("N×T token ids, for a model that starts with an Embedding (GET /model: "
                                    + "inputShape [T]); each below its vocabulary size")));
            Schema<?> lengths = request.getProperties().get("lengths");
            lengths.setMinItems(1);
            lengths.getItems().setMinimum(BigDecimal.ONE);
        }
        Schema<?> byLayer = openApi.getComponents().getSchemas().get("StatesByLayer");
        if (byLayer != null) {
            byLayer.setProperties(null);
            byLayer.setAdditionalProperties(new Schema<>().oneOf(List.of(
                    matrix(), new ObjectSchema().additionalProperties(matrix()))));
        }
    }

    private static Schema<?> nonEmpty(Schema<?> items) {
        return new ArraySchema().minItems(1).items(items);
    }

    /** N×M numbers: one state part of N samples. */
    private static Schema<?> matrix() {
        return new ArraySchema().minItems(1).items(new ArraySchema().minItems(1).items(new NumberSchema()));
    }
}
