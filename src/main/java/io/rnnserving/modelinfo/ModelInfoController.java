package io.rnnserving.modelinfo;

import io.rnnserving.serving.ServedModel;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** GET /model: the served model as Keras' {@code model.summary()} shows it. */
@RestController
class ModelInfoController implements ModelInfoApi {
    private final ModelSummary summary;

    ModelInfoController(ServedModel model) {
        this.summary = ModelSummary.of(model.loaded());
    }

    @Override
    @GetMapping(path = "/model", produces = MediaType.APPLICATION_JSON_VALUE)
    public ModelSummary model() {
        return summary;
    }
}
