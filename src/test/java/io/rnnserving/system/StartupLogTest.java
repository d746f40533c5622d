package io.rnnserving.system;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rnnserving.engine.Activation;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.loading.ModelFileReader;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel line tells a person without the Vector API module what it costs this model and how to fix it. */
class StartupLogTest {
    private static final String SIMD = "SIMD step kernel (jdk.incubator.vector, 4 doubles per vector)";
    private static final String PLAIN = "scalar step kernel (start the JVM with --add-modules jdk.incubator.vector for SIMD)";

    private static RecurrentModel withUnits(int units) {
        double[][] kernel = new double[3][units];
        double[][] recurrent = new double[units][units];
        return RecurrentModel.of("m", null, 3, List.of(SimpleRnnLayer.of("rnn", kernel, recurrent, null,
                Activation.TANH, false, false, false)));
    }

    @Test
    void withoutTheModuleALargeModelIsToldHowMuchSlowerAndTheFlag() {
        assertThat(StartupLog.kernelLine(withUnits(256), PLAIN, false))
                .contains("for this model (256 units) that is about 10× slower")
                .endsWith("add --add-modules jdk.incubator.vector to the java command")
                .doesNotContain("\n");
        assertThat(StartupLog.kernelLine(withUnits(32), PLAIN, false)).contains("(32 units) that is up to 3× slower");
        assertThat(StartupLog.kernelLine(withUnits(90), PLAIN, false)).contains("(90 units) that is about 6× slower");
    }

    @Test
    void withoutTheModuleASmallModelLosesNothing() {
        assertThat(StartupLog.kernelLine(withUnits(SimpleRnnLayer.SMALL_UNITS - 1), PLAIN, false))
                .endsWith("this model's recurrent layers (at most 14 units) do not use it: full speed");
    }

    @Test
    void theReadyLineGivesTheAddressTheModelAndSwaggerUi() {
        ModelRepository served = ModelRepository.ofSingleModel(ModelFileReader.readDefault(),
                EngineSettings.defaults(), new SimpleMeterRegistry());
        MockEnvironment environment = new MockEnvironment().withProperty("server.address", "0.0.0.0");

        assertThat(new StartupLog(served, environment).readyLine(8080)).isEqualTo("Listening on http://localhost:8080, "
                + "serving model 'notebook-simple-rnn' (POST /predict, GET /model, POST "
                + "/v2/models/notebook-simple-rnn/infer, POST /v1/models/notebook-simple-rnn:predict); "
                + "Swagger UI at http://localhost:8080/swagger-ui.html");
        environment.withProperty("server.address", "127.0.0.1").withProperty("server.servlet.context-path", "/rnn/")
                .withProperty("springdoc.swagger-ui.enabled", "false");
        assertThat(new StartupLog(served, environment).readyLine(9000))
                .startsWith("Listening on http://127.0.0.1:9000/rnn, serving model")
                .endsWith("; Swagger UI off (springdoc.swagger-ui.enabled=false)");
    }

    @Test
    void withTheModuleTheLineNamesTheKernelOnly() {
        assertThat(StartupLog.kernelLine(withUnits(256), SIMD, true))
                .isEqualTo("Recurrent layers of 15 units or more run on the " + SIMD);
    }
}
