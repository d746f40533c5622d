package io.rnnserving.deploy;

import static io.rnnserving.deploy.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KServeManifestsTest {

    private final Map<String, Object> runtime = DeployFiles.yaml("deploy/kserve/serving-runtime.yaml");
    private final Map<String, Object> inferenceService = DeployFiles.yaml("deploy/kserve/inference-service.yaml");
    private final Map<String, Object> container = at(runtime, "spec", "containers", 0);
    private final Map<String, Object> model = at(inferenceService, "spec", "predictor", "model");

    @Test
    void manifestsHaveKServesKindsAndApiVersions() {
        assertThat(runtime).containsEntry("apiVersion", "serving.kserve.io/v1alpha1").containsEntry("kind", "ServingRuntime");
        assertThat(inferenceService).containsEntry("apiVersion", "serving.kserve.io/v1beta1")
                .containsEntry("kind", "InferenceService");
    }

    @Test
    void inferenceServiceUsesThisRuntimeOnTheV2Protocol() {
        assertThat(model)
                .containsEntry("runtime", at(runtime, "metadata", "name"))
                .containsEntry("protocolVersion", "v2");
        List<String> protocols = at(runtime, "spec", "protocolVersions");
        assertThat(protocols).contains("v2");
        List<Map<String, Object>> formats = at(runtime, "spec", "supportedModelFormats");
        assertThat(formats).extracting(format -> format.get("name"))
                .contains((Object) at(model, "modelFormat", "name"));
    }

    @Test
    void runtimeRunsTheSameImageAsTheDeploymentInKServesContainer() {
        Map<String, Object> deployment = DeployFiles.yaml("deploy/kubernetes/deployment.yaml");
        assertThat(container)
                .containsEntry("name", "kserve-container")
                .containsEntry("image", at(deployment, "spec", "template", "spec", "containers", 0, "image"));
        assertThat((Object) at(container, "ports", 0, "containerPort")).isEqualTo(8080);
    }

    @Test
    void runtimeRunsAsTheDockerfilesNonRootUser() {
        Map<String, Object> securityContext = at(container, "securityContext");
        assertThat(securityContext).containsEntry("runAsNonRoot", true);
        assertThat(((Number) securityContext.get("runAsUser")).longValue()).isEqualTo(DeployFiles.dockerfileUid());
    }

    @Test
    void modelPathPointsIntoKServesModelMount() {
        // KServe's storage initializer (or a pvc:// storageUri) puts the model at /mnt/models.
        List<Map<String, Object>> env = at(container, "env");
        assertThat(env).anySatisfy(variable -> {
            assertThat(variable).containsEntry("name", "MODEL_PATH");
            assertThat((String) variable.get("value")).startsWith("/mnt/models/");
        });
        assertThat((String) model.get("storageUri")).isNotBlank();
    }

    @Test
    void probesAskTheActuatorHealthGroups() {
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
    }
}
