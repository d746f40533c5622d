package io.rnnserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import io.rnnserving.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running service on a repository of two models, one of them in two versions (all served by its policy), with a
 * management token: what each protocol shows of the repository, unknown models and versions, failed versions and
 * the repository extension.
 */
class RepositoryEndpointsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "s3cret-token";
    private static final String X = "[[[0.1,0.2,0.3],[0.4,0.5,0.6]]]";

    @TempDir
    static Path repo;
    private static RunningServer server;

    /** A reply: status, content type, body. */
    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() {
        RepositoryFiles.writeVersion(repo, "notebook", 1, "model.json", RepositoryFiles.notebook());
        RepositoryFiles.writeVersion(repo, "notebook", 2, "model.json", RepositoryFiles.notebookWithDenseBias(1.1, -0.1));
        RepositoryFiles.writeVersion(repo, "rnn", 3, "model.keras", RepositoryFiles.keras("rnn_tanh_dense.keras", 1));
        // versions are compared to 1e-12: the float32 models compute in float64 here
        server = RunningServer.start("--model.repository=" + repo, "--model.poll-interval=50ms", "--model.warm-up=0",
                "--model.precision=float64", "--model.version-policy=latest; notebook=all", "--rnn-serving.management.token=" + TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Reply send(String method, String path, String body, String... headers) throws Exception {
        return send(server, method, path, body, headers);
    }

    static Reply send(RunningServer server, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = server.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    static Reply get(String path) throws Exception {
        return send("GET", path, null);
    }

    static Reply post(String path, String body, String... headers) throws Exception {
        return send("POST", path, body, headers);
    }

    private static double firstOutput(Reply reply) {
        return reply.json().get("yhat").get(0).get(0).doubleValue();
    }

    @Test
    void modelsListsEveryModelWithEachVersionsState() throws Exception {
        Reply reply = get("/models");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(JSON.readTree(reply.body())).isEqualTo(JSON.readTree("""
                {"models": [
                  {"name": "notebook", "versions": [{"version": 1, "state": "AVAILABLE"}, {"version": 2, "state": "AVAILABLE"}]},
                  {"name": "rnn", "versions": [{"version": 3, "state": "AVAILABLE"}]}]}"""));
    }

    @Test
    void eachVersionAnswersOnItsOwnPathAndTheModelPathTakesTheHighest() throws Exception {
        double one = firstOutput(post("/models/notebook/versions/1/predict", "{\"x\": " + X + "}"));
        double two = firstOutput(post("/models/notebook/versions/2/predict", "{\"x\": " + X + "}"));
        // version 2's Dense bias is 1.0 higher in the first output
        assertThat(two - one).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(firstOutput(post("/models/notebook/predict", "{\"x\": " + X + "}"))).isEqualTo(two);

        JsonNode summary = get("/models/notebook").json();
        assertThat(summary.get("name").asString()).isEqualTo("notebook");
        assertThat(summary.get("version").asLong()).isEqualTo(2);
        assertThat(summary.get("totalParams").asLong()).isEqualTo(57);
        assertThat(get("/models/notebook/versions/1").json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void severalModelsAndNoDefaultMakeTheUnnamedEndpointsListTheModels() throws Exception {
        for (Reply reply : List.of(post("/predict", "{\"x\": " + X + "}"), get("/model"))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("type").asString()).isEqualTo("urn:rnn-serving:problem:not-found");
            assertThat(reply.json().get("detail").asString()).contains("name one of notebook, rnn");
        }
    }

    @Test
    void unknownModelsAndVersionsAre404sNamingWhatIsServed() throws Exception {
        Reply model = post("/models/nope/predict", "{\"x\": " + X + "}");
        assertThat(model.status()).isEqualTo(404);
        assertThat(model.contentType()).startsWith("application/problem+json");
        assertThat(model.json().get("detail").asString()).isEqualTo("model 'nope' is not served here; models: notebook, rnn");
        Reply version = post("/models/notebook/versions/7/predict", "{\"x\": " + X + "}");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.json().get("detail").asString())
                .isEqualTo("model 'notebook' version 7 is not served; AVAILABLE versions: 1, 2");
        assertThat(get("/models/notebook/versions/x").status()).isEqualTo(404);
        assertThat(get("/models/nope").status()).isEqualTo(404);

        Reply kserve = post("/v2/models/notebook/versions/7/infer", "{\"inputs\": []}");
        assertThat(kserve.status()).isEqualTo(404);
        assertThat(kserve.json().get("error").asString()).contains("AVAILABLE versions: 1, 2");
        Reply tfserving = post("/v1/models/notebook/versions/7:predict", "{\"instances\": " + X + "}");
        assertThat(tfserving.status()).isEqualTo(404);
        assertThat(tfserving.json().get("error").asString()).startsWith("Servable not found for request: Specific(notebook, 7)");
        assertThat(get("/v1/models/nope").status()).isEqualTo(404);
    }

    @Test
    void kserveMetadataListsTheVersionsAndEachVersionHasItsPaths() throws Exception {
        JsonNode metadata = get("/v2/models/notebook").json();
        assertThat(metadata.get("name").asString()).isEqualTo("notebook");
        assertThat(metadata.get("versions").valueStream().map(JsonNode::asString)).containsExactly("1", "2");
        assertThat(get("/v2/models/notebook/versions/1").json().get("name").asString()).isEqualTo("notebook");
        Reply ready = get("/v2/models/notebook/versions/1/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").booleanValue()).isTrue();
        Reply infer = post("/v2/models/notebook/versions/1/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2, 3], "
                + "\"datatype\": \"FP64\", \"data\": [0.1,0.2,0.3,0.4,0.5,0.6]}]}");
        assertThat(infer.status()).isEqualTo(200);
        assertThat(infer.json().get("model_version").asString()).isEqualTo("1");
        assertThat(infer.json().get("outputs").get(0).get("data").get(0).doubleValue())
                .isEqualTo(firstOutput(post("/models/notebook/versions/1/predict", "{\"x\": " + X + "}")));
        assertThat(get("/v2").json().get("extensions").valueStream().map(JsonNode::asString))
                .contains("model_repository");
    }

    @Test
    void tfServingStatusReportsEveryVersion() throws Exception {
        assertThat(get("/v1/models/notebook").json()).isEqualTo(JSON.readTree("""
                {"model_version_status": [
                  {"version": "2", "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}},
                  {"version": "1", "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}}],
                 "ready": true}"""));
        assertThat(get("/v1/models/notebook/versions/1").json().get("model_version_status")).hasSize(1);
        Reply predict = post("/v1/models/notebook/versions/1:predict", "{\"instances\": " + X + "}");
        assertThat(predict.json().get("predictions").get(0).get(0).doubleValue())
                .isEqualTo(firstOutput(post("/models/notebook/versions/1/predict", "{\"x\": " + X + "}")));
    }

    @Test
    void loadAndUnloadNeedTheManagementToken() throws Exception {
        Reply none = post("/v2/repository/models/rnn/unload", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asString()).contains("Authorization: Bearer");
        assertThat(post("/v2/repository/models/rnn/unload", null, "Authorization", "Bearer wrong").status())
                .isEqualTo(401);
        assertThat(post("/models/rnn/predict", "{\"x\": [[[0.1]]]}").status()).isNotIn(401, 403);

        String bearer = "Bearer " + TOKEN;
        assertThat(post("/v2/repository/models/rnn/unload", null, "Authorization", bearer).status()).isEqualTo(200);
        assertThat(post("/models/rnn/predict", "{\"x\": [[[0.1]]]}").status()).isEqualTo(404);
        JsonNode index = post("/v2/repository/index", "{}").json();
        assertThat(index.valueStream().filter(entry -> entry.get("name").asString().equals("rnn")).toList())
                .singleElement().satisfies(entry -> assertThat(entry.get("state").asString()).isEqualTo("UNAVAILABLE"));
        Reply malformed = post("/v2/repository/index", "not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asString()).isEqualTo("the body is not the JSON object this endpoint takes");
        assertThat(post("/v2/repository/index", "{\"ready\": true}").json().valueStream()
                .map(entry -> entry.get("name").asString())).containsOnly("notebook");

        assertThat(post("/v2/repository/models/rnn/load", null, "Authorization", bearer).status()).isEqualTo(200);
        assertThat(get("/v2/models/rnn/ready").status()).isEqualTo(200);
        assertThat(post("/v2/repository/models/nope/load", null, "Authorization", bearer).status()).isEqualTo(404);
    }
}
