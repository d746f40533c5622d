package io.rnnserving.deploy;

import static io.rnnserving.deploy.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

class KubernetesManifestsTest {

    private final Map<String, Object> deployment = DeployFiles.yaml("deploy/kubernetes/deployment.yaml");
    private final Map<String, Object> service = DeployFiles.yaml("deploy/kubernetes/service.yaml");
    private final Map<String, Object> hpa = DeployFiles.yaml("deploy/kubernetes/hpa.yaml");
    private final Map<String, Object> models = DeployFiles.yaml("deploy/kubernetes/models-pvc.yaml");
    private final Map<String, Object> pod = at(deployment, "spec", "template");
    private final Map<String, Object> container = at(pod, "spec", "containers", 0);

    @Test
    void manifestsHaveTheKindsAndApiVersionsTheClusterServes() {
        assertThat(deployment).containsEntry("apiVersion", "apps/v1").containsEntry("kind", "Deployment");
        assertThat(service).containsEntry("apiVersion", "v1").containsEntry("kind", "Service");
        assertThat(hpa).containsEntry("apiVersion", "autoscaling/v2").containsEntry("kind", "HorizontalPodAutoscaler");
        assertThat(models).containsEntry("apiVersion", "v1").containsEntry("kind", "PersistentVolumeClaim");
    }

    @Test
    void kustomizationListsEveryManifest() {
        List<String> resources = at(DeployFiles.yaml("deploy/kubernetes/kustomization.yaml"), "resources");
        assertThat(resources).containsExactlyInAnyOrder("models-pvc.yaml", "deployment.yaml", "service.yaml",
                "hpa.yaml");
    }

    @Test
    void podRunsAsTheDockerfilesNonRootUser() {
        Map<String, Object> securityContext = at(pod, "spec", "securityContext");
        assertThat(securityContext).containsEntry("runAsNonRoot", true);
        assertThat(((Number) securityContext.get("runAsUser")).longValue()).isEqualTo(DeployFiles.dockerfileUid());
        assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
    }

    @Test
    void containerServesHttpOnPort8080() {
        Map<String, Object> port = at(container, "ports", 0);
        assertThat(port).containsEntry("name", "http").containsEntry("containerPort", 8080);
    }

    @Test
    void probesAskTheActuatorHealthGroupsOnTheHttpPort() {
        assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat((Object) at(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
        }
    }

    @Test
    void containerHasMemoryLimitForTheJvmToSizeItsHeapBy() {
        assertThat((String) at(container, "resources", "limits", "memory")).isNotBlank();
        assertThat((String) at(container, "resources", "requests", "cpu")).isNotBlank();
    }

    @Test
    void theModelRepositoryIsTheReadOnlyClaimMountedAtSlashModels() {
        List<Map<String, Object>> env = at(container, "env");
        String repository = env.stream()
                .filter(variable -> "MODEL_REPOSITORY".equals(variable.get("name")))
                .map(variable -> (String) variable.get("value"))
                .findFirst().orElseThrow(() -> new AssertionError("no MODEL_REPOSITORY in the container's env"));
        assertThat(repository).isEqualTo("/models");

        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        Map<String, Object> modelMount = mounts.stream()
                .filter(mount -> "/models".equals(mount.get("mountPath")))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at /models"));
        assertThat(modelMount).containsEntry("readOnly", true);

        List<Map<String, Object>> volumes = at(pod, "spec", "volumes");
        Map<String, Object> volume = volumes.stream().filter(v -> modelMount.get("name").equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume for the /models mount"));
        assertThat((String) at(volume, "persistentVolumeClaim", "claimName")).isEqualTo(at(models, "metadata", "name"));
        // every replica reads it while a writer adds versions
        assertThat((List<String>) at(models, "spec", "accessModes")).contains("ReadWriteMany");
    }

    @Test
    void readOnlyRootFilesystemStillHasAWritableTmp() {
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        assertThat(mounts).extracting(mount -> mount.get("mountPath")).contains("/tmp");
    }

    @Test
    void deploymentSelectorAndServiceSelectorMatchThePodLabels() {
        Map<String, Object> podLabels = at(pod, "metadata", "labels");
        Map<String, Object> deploymentSelector = at(deployment, "spec", "selector", "matchLabels");
        Map<String, Object> serviceSelector = at(service, "spec", "selector");
        assertThat(podLabels).containsAllEntriesOf(deploymentSelector).containsAllEntriesOf(serviceSelector);
        assertThat(serviceSelector).isNotEmpty();
    }

    @Test
    void serviceForwardsToTheContainersHttpPort() {
        assertThat((Object) at(service, "spec", "ports", 0, "targetPort")).isIn("http", 8080);
    }

    @Test
    void autoscalerTargetsTheDeployment() {
        Map<String, Object> target = at(hpa, "spec", "scaleTargetRef");
        assertThat(target)
                .containsEntry("apiVersion", "apps/v1")
                .containsEntry("kind", "Deployment")
                .containsEntry("name", at(deployment, "metadata", "name"));
        int min = at(hpa, "spec", "minReplicas");
        int max = at(hpa, "spec", "maxReplicas");
        assertThat(min).isPositive().isLessThanOrEqualTo(max);
    }

    @Test
    void terminationGracePeriodOutlastsSpringsShutdownPhase() {
        String phase = at(DeployFiles.yaml("src/main/resources/application.yaml"),
                "spring", "lifecycle", "timeout-per-shutdown-phase");
        int grace = at(pod, "spec", "terminationGracePeriodSeconds");
        assertThat(Duration.ofSeconds(grace)).isGreaterThan(DurationStyle.detectAndParse(phase));
    }
}
