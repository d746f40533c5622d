package io.rnnserving.modelinfo;

import io.rnnserving.inference.ServedModel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** GET /model: the served model as Keras' {@code model.summary()} shows it. */
@RestController
@Tag(name = "model", description = "The served model")
class ModelInfoController {
    private final ModelSummary summary;

    ModelInfoController(ServedModel model) {
        this.summary = ModelSummary.of(model.loaded());
    }

    @GetMapping(path = "/model", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Describe the served model",
            description = "Name, input shape, each layer with its Keras class, units, activation, output shape and "
                    + "parameter count as model.summary() prints them, the total, and the file it was read from.")
    ModelSummary model() {
        return summary;
    }
}
