package io.rnnserving.system;

import java.util.List;

import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The lines a person starting the service looks for: which step kernel runs, where to reach the service and its UI. */
@Component
class StartupLog {
    private static final Logger log = LoggerFactory.getLogger(StartupLog.class);

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String VECTOR_FLAG = "--add-modules " + VECTOR_MODULE;

    private final ModelRepository models;
    private final Environment environment;

    StartupLog(ModelRepository models, Environment environment) {
        this.models = models;
        this.environment = environment;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            log.info(readyLine(web.getWebServer().getPort()));
        }
    }

    String readyLine(int port) {
        String host = environment.getProperty("server.address", "localhost");
        if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
            host = "localhost";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        String contextPath = environment.getProperty("server.servlet.context-path", "").replaceAll("/$", "");
        String base = "http://" + host + ":" + port + contextPath;
        String ui = environment.getProperty("springdoc.swagger-ui.enabled", Boolean.class, true)
                ? "Swagger UI at " + base + environment.getProperty("springdoc.swagger-ui.path", "/swagger-ui.html")
                : "Swagger UI off (springdoc.swagger-ui.enabled=false)";
        List<String> names = models.models().stream().map(ModelStatus::name).toList();
        if (names.size() > 1) {
            return "Listening on " + base + ", serving models " + String.join(", ", names) + " (GET /models, POST "
                    + "/models/{name}/predict, POST /v2/models/{name}/infer, POST /v1/models/{name}:predict); " + ui;
        }
        String name = models.defaultModel();
        return "Listening on " + base + ", serving model '" + name + "' (POST /predict, GET /model, POST /v2/models/"
                + name + "/infer, POST /v1/models/" + name + ":predict); " + ui;
    }

    /**
     * Which step kernel runs this model's recurrent layers; without the Vector API module, how much slower that is
     * for this model and the flag that fixes it.
     */
    static String kernelLine(RecurrentModel model, String kernel, boolean vectorModuleLoaded) {
        int units = model.recurrentLayers().stream().mapToInt(RecurrentLayer::units).max().orElse(0);
        String line = "Recurrent layers of " + SimpleRnnLayer.SMALL_UNITS + " units or more run on the " + kernel;
        if (vectorModuleLoaded) {
            return line;
        }
        if (units < SimpleRnnLayer.SMALL_UNITS) {
            return line + "; this model's recurrent layers (at most " + units + " units) do not use it: full speed";
        }
        return line + "; for this model (" + units + " units) that is " + plainKernelSlowdown(units)
                + " slower on a large batch than the SIMD kernel: add " + VECTOR_FLAG + " to the java command";
    }

    /**
     * How many times longer a large request takes on the plain-Java kernel: measured on a 256×100×4 /predict
     * request (2 cores, Java 17) as 3× at 32 units and 10× at 256 units; in between, interpolated in log(units).
     */
    static String plainKernelSlowdown(int units) {
        if (units <= 32) {
            return "up to 3×";
        }
        if (units >= 256) {
            return "about 10×";
        }
        return "about " + Math.round(3 + 7 * Math.log(units / 32.0) / Math.log(8)) + "×";
    }

    static boolean vectorModuleLoaded() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }
}
