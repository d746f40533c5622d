package io.rnnserving.tfserving;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnserving.JsonReply;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The TF Serving REST endpoints against a running server. Predictions are compared exactly with what POST /predict
 * answers for the same input, whose values the Keras reference pins (see src/test/resources/reference).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class TfServingControllerTest {
    private static final String MODEL = "notebook-simple-rnn";
    private static final String PREDICT = "/v1/models/" + MODEL + ":predict";
    /** Two samples of T=10, D=3: the README sequence and a second one. */
    private static final String SAMPLE_0 = "[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],[1.3,1.4,1.5],"
            + "[1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]";
    private static final String SAMPLE_1 = "[[-0.5,0.25,1.0],[0.3,-0.1,0.0],[0.9,0.8,-0.7],[0.0,0.0,0.1],[1.5,-1.5,0.5],"
            + "[0.2,0.2,0.2],[-0.3,0.6,-0.9],[1.0,0.0,-1.0],[0.05,0.15,0.25],[-2.0,1.0,0.5]]";
    private static final String X = "[" + SAMPLE_0 + "," + SAMPLE_1 + "]";

    @Autowired
    RestTestClient client;

    @Test
    void statusReportsVersionOneAvailable() {
        for (String uri : new String[] {"/v1/models/" + MODEL, "/v1/models/" + MODEL + "/versions/1"}) {
            JsonReply reply = get(uri);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json()).isEqualTo(JsonMapper.shared().readTree("""
                    {"model_version_status": [{"version": "1", "state": "AVAILABLE",
                      "status": {"error_code": "OK", "error_message": ""}}], "ready": true}"""));
        }
    }

    @Test
    void metadataDescribesTheServingDefaultSignature() {
        JsonReply reply = get("/v1/models/" + MODEL + "/metadata");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().at("/model_spec/name").asString()).isEqualTo(MODEL);
        assertThat(reply.json().at("/model_spec/version").asString()).isEqualTo("1");
        JsonNode signature = reply.json().at("/metadata/signature_def/signature_def/serving_default");
        assertThat(signature.get("method_name").asString()).isEqualTo("tensorflow/serving/predict");
        assertThat(sizes(signature.at("/inputs/x/tensor_shape/dim"))).isEqualTo("-1,10,3");
        assertThat(sizes(signature.at("/outputs/yhat/tensor_shape/dim"))).isEqualTo("-1,2");
    }

    @Test
    void instancesDocumentationExampleGivesOnePredictionPerSampleAsPredictDoes() {
        // the row format of the TF Serving REST documentation: {"signature_name": ..., "instances": [...]}
        JsonReply reply = post(PREDICT, "{\"signature_name\": \"serving_default\", \"instances\": " + X + "}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().propertyNames()).containsExactly("predictions");
        assertThat(reply.json().get("predictions")).isEqualTo(predict(X).get("yhat"));
    }

    @Test
    void instancesAsObjectsNamingTheInputGiveTheSamePredictions() {
        JsonReply reply = post(PREDICT, "{\"instances\": [{\"x\": " + SAMPLE_0 + "}, {\"x\": " + SAMPLE_1 + "}]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("predictions")).isEqualTo(predict(X).get("yhat"));
    }

    @Test
    void columnarInputsGiveOutputsAsPredictDoes() {
        JsonNode expected = predict(X).get("yhat");

        JsonReply plain = post(PREDICT, "{\"inputs\": " + X + "}");
        JsonReply named = post(PREDICT, "{\"inputs\": {\"x\": " + X + "}}");

        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.json().propertyNames()).containsExactly("outputs");
        assertThat(plain.json().get("outputs")).isEqualTo(expected);
        assertThat(named.json().get("outputs")).isEqualTo(expected);
    }

    @Test
    void versionedPredictPathWithTheColonVerbIsMatched() {
        JsonReply reply = post("/v1/models/" + MODEL + "/versions/1:predict", "{\"instances\": " + X + "}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("predictions")).isEqualTo(predict(X).get("yhat"));
    }

    @Test
    void bodyIsReadWithoutAJsonContentTypeAsCurlDashDSendsIt() {
        EntityExchangeResult<String> result = client.post().uri(PREDICT)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body("{\"instances\": " + X + "}")
                .exchange()
                .returnResult(String.class);

        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(JsonMapper.shared().readTree(result.getResponseBody()).get("predictions"))
                .isEqualTo(predict(X).get("yhat"));
    }

    @Test
    void unknownModelOrVersionIsA404Error() {
        assertError(post("/v1/models/nope:predict", "{\"instances\": " + X + "}"), 404, "Latest(nope)");
        assertError(post("/v1/models/" + MODEL + "/versions/2:predict", "{\"instances\": " + X + "}"), 404,
                "Specific(" + MODEL + ", 2)");
        assertError(get("/v1/models/nope"), 404, "nope");
        assertError(get("/v1/models/nope/metadata"), 404, "nope");
    }

    @Test
    void wrongFeatureCountIsA400Error() {
        assertError(post(PREDICT, "{\"instances\": [[[1, 2]]]}"), 400, "[N, T, 3]");
    }

    @Test
    void instancesOfDifferentLengthsAreA400ErrorAsInTfServing() {
        assertError(post(PREDICT, "{\"instances\": [[[1, 2, 3]], [[1, 2, 3], [4, 5, 6]]]}"), 400, "/instances/1");
    }

    @Test
    void unknownSignatureBothFormatsAndMalformedJsonAre400Errors() {
        assertError(post(PREDICT, "{\"signature_name\": \"classify\", \"instances\": [[[1, 2, 3]]]}"), 400, "classify");
        assertError(post(PREDICT, "{\"instances\": [[[1, 2, 3]]], \"inputs\": [[[1, 2, 3]]]}"), 400, "not both");
        assertError(post(PREDICT, "{\"instances\": [[[1, 2, 3]]"), 400, "JSON");
        assertError(post(PREDICT, "{\"instances\": [{\"y\": [[1, 2, 3]]}]}"), 400, "'y'");
    }

    @Test
    void batchBeyondTheLimitIsA413Error() {
        String instances = "[" + "[[0, 0, 0]],".repeat(4096) + "[[0, 0, 0]]]";

        assertError(post(PREDICT, "{\"instances\": " + instances + "}"), 413, "the limit is 4096 (at /instances)");
    }

    @Test
    void otherVerbsAndPathsUnderV1AreA404Error() {
        assertError(post("/v1/models/" + MODEL + ":classify", "{\"examples\": []}"), 404, ":predict");
    }

    private void assertError(JsonReply reply, int status, String mentions) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
        assertThat(reply.json().propertyNames()).containsExactly("error");
        assertThat(reply.json().get("error").asString()).contains(mentions).doesNotContain("Exception", "at io.");
    }

    private JsonNode predict(String x) {
        JsonReply reply = post("/predict", "{\"x\": " + x + "}");
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private static String sizes(JsonNode dims) {
        return String.join(",", dims.valueStream().map(d -> d.get("size").asString()).toList());
    }

    private JsonReply get(String uri) {
        return JsonReply.get(client, uri);
    }

    private JsonReply post(String uri, String body) {
        return JsonReply.post(client, uri, body);
    }
}
