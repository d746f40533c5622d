package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The engine settings are ordinary properties: set here as application.yaml or the environment would set them. */
@SpringBootTest(properties = {"rnn-serving.engine.vector=false", "rnn-serving.engine.threads=1"})
class EnginePropertiesTest {

    @Autowired
    ModelRepository models;

    @Autowired
    EngineProperties engine;

    @Test
    void theServedModelRunsAsTheEnginePropertiesSay() {
        assertThat(engine.toSettings().threads()).isEqualTo(1);
        try (ModelVersion.Lease lease = models.acquireDefault()) {
            assertThat(lease.served().model().stepKernel())
                    .isEqualTo("plain-Java float kernel (rnn-serving.engine.vector=false)"); // the notebook model is float32
        }
    }
}
