package io.rnnserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rnnserving.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A truncated .keras, a JSON of the wrong shape and a directory with no model file, each copied in as a new version
 * of a served model: each shows FAILED with its reason, the previous version keeps answering, readiness stays UP,
 * TF Serving shows each as END with its error, and the failures are counted.
 */
class FailedVersionsOverHttpTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String X = "[[[0.1,0.2,0.3],[0.4,0.5,0.6]]]";

    @TempDir
    Path repo;
    private RunningServer server;

    private RepositoryEndpointsTest.Reply get(String path) throws Exception {
        return RepositoryEndpointsTest.send(server, "GET", path, null);
    }

    private RepositoryEndpointsTest.Reply post(String path, String body) throws Exception {
        return RepositoryEndpointsTest.send(server, "POST", path, body);
    }

    @Test
    void brokenNewVersionsShowFailedWithAReasonAndLeaveThePreviousServing() throws Exception {
        RepositoryFiles.writeVersion(repo, "notebook", 1, "model.json", RepositoryFiles.notebook());
        try (RunningServer running = RunningServer.start("--model.repository=" + repo, "--model.poll-interval=50ms",
                "--model.warm-up=0")) {
            server = running;
            brokenVersionsFail();
        }
    }

    private void brokenVersionsFail() throws Exception {
        JsonNode versionOne = post("/models/notebook/predict", "{\"x\": " + X + "}").json();
        RepositoryFiles.writeVersion(repo, "notebook", 2, "model.keras", RepositoryFiles.keras("rnn_tanh_dense.keras", 0.6));
        RepositoryFiles.writeVersion(repo, "notebook", 3, "model.json",
                RepositoryFiles.notebook().replace("\"units\": 2", "\"units\": 3"));
        RepositoryFiles.writeVersion(repo, "notebook", 4, "notes.txt", "no model here");
        for (long version = 2; version <= 4; version++) {
            awaitState("notebook", version, "FAILED");
        }
        List<JsonNode> versions = new ArrayList<>();
        modelOf("notebook").get("versions").forEach(versions::add);
        assertThat(versions.get(1).get("reason").asString()).contains("notebook/2/model.keras");
        assertThat(versions.get(2).get("reason").asString()).contains("the Dense has 3 units");
        assertThat(versions.get(3).get("reason").asString()).contains("no model file");
        RepositoryEndpointsTest.Reply answer = post("/models/notebook/predict", "{\"x\": " + X + "}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(versionOne);
        assertThat(get("/models/notebook").json().get("version").asLong()).isEqualTo(1);
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);

        JsonNode tfStatus = get("/v1/models/notebook").json().get("model_version_status");
        assertThat(tfStatus.get(0).get("state").asString()).isEqualTo("END");
        assertThat(tfStatus.get(0).get("status").get("error_message").asString()).contains("no model file");
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains("rnn_model_load_failures_total{model=\"notebook\",version=\"2\"} 1.0")
                .contains("rnn_model_loads_total{model=\"notebook\",version=\"1\"} 1.0");
    }

    @Test
    void readinessIsUpOnlyWhileEveryModelHasAnAvailableVersion() throws Exception {
        RepositoryFiles.writeVersion(repo, "notebook", 1, "model.json", RepositoryFiles.notebook());
        try (RunningServer running = RunningServer.start("--model.repository=" + repo, "--model.poll-interval=50ms",
                "--model.warm-up=0")) {
            server = running;
            assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
            RepositoryFiles.writeVersion(repo, "other", 1, "model.json", "{\"layers\": []}");
            awaitState("other", 1, "FAILED");
            assertThat(get("/actuator/health/readiness").status()).isEqualTo(503);
            assertThat(get("/v2/health/ready").status()).isEqualTo(503);
            // the model that works goes on answering
            assertThat(post("/models/notebook/predict", "{\"x\": " + X + "}").status()).isEqualTo(200);

            RepositoryFiles.writeVersion(repo, "other", 2, "model.json", RepositoryFiles.notebook());
            awaitState("other", 2, "AVAILABLE");
            assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(get("/v2/health/ready").status()).isEqualTo(200);
        }
    }

    private JsonNode modelOf(String name) throws Exception {
        for (JsonNode model : get("/models").json().get("models")) {
            if (model.get("name").asString().equals(name)) {
                return model;
            }
        }
        return null;
    }

    private void awaitState(String name, long version, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode model = modelOf(name);
            if (model != null) {
                for (JsonNode v : model.get("versions")) {
                    if (v.get("version").asLong() == version && v.get("state").asString().equals(state)) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + " version " + version + " never became " + state + ": " + get("/models").body());
    }
}
