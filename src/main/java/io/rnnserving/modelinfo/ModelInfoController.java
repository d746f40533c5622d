package io.rnnserving.modelinfo;

import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.request.ProblemDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** GET /model: the served model as Keras' {@code model.summary()} shows it. */
@RestController
@Tag(name = "model", description = "The served model")
class ModelInfoController {
    private final ModelRepository models;

    ModelInfoController(ModelRepository models) {
        this.models = models;
    }

    @GetMapping(path = "/model", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "describeModel", summary = "Describe the served model", description = ModelInfoApiDocs.DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The served model's summary", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ModelSummary.class),
            examples = @ExampleObject(name = "default model", value = ModelInfoApiDocs.RESPONSE_EXAMPLE)))
    @ApiResponse(responseCode = "406", description = "The Accept header rules out application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not acceptable", value = ModelInfoApiDocs.NOT_ACCEPTABLE_EXAMPLE)))
    @ApiResponse(responseCode = "500", description = "The service failed; the error is logged",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "internal error", value = ModelInfoApiDocs.INTERNAL_ERROR_EXAMPLE)))
    ModelSummary model() {
        try (ModelVersion.Lease lease = models.acquireDefault()) {
            return ModelSummary.of(lease.model(), lease.served().loaded(), null);
        }
    }

    @GetMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listModels", summary = "Every model and the state of each version")
    ModelsDocument models() {
        return ModelsDocument.of(models.models());
    }

    @GetMapping(path = "/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "describeModelByName", summary = "Describe a model's highest AVAILABLE version")
    ModelSummary model(@PathVariable String name) {
        try (ModelVersion.Lease lease = models.acquireLatest(name)) {
            return ModelSummary.of(lease.model(), lease.served().loaded(), lease.version());
        }
    }

    @GetMapping(path = "/models/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "describeModelVersion", summary = "Describe one version of a model")
    ModelSummary model(@PathVariable String name, @PathVariable String version) {
        try (ModelVersion.Lease lease = models.acquire(name, version)) {
            return ModelSummary.of(lease.model(), lease.served().loaded(), lease.version());
        }
    }
}
