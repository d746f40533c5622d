package io.rnnserving.kserve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.rnnserving.JsonReply;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The KServe v2 endpoints against a running server. Every number is compared with what POST /predict answers for
 * the same input, whose values the Keras reference pins (see src/test/resources/reference): exactly for FP64, after
 * rounding to float for FP32.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class KServeControllerTest {
    private static final String MODEL = "notebook-simple-rnn";
    private static final String INFER = "/v2/models/" + MODEL + "/infer";
    /** The README sequence, T=10, D=3. */
    private static final String X = "[[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],[1.3,1.4,1.5],"
            + "[1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]]";
    private static final String X_FLAT = "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,"
            + "1.9,2.0,2.1,2.2,2.3,2.4,2.5,2.6,2.7,2.8,2.9,3.0]";

    @Autowired
    RestTestClient client;

    @Test
    void serverMetadataNamesTheServiceAndTheBinaryTensorDataExtension() {
        JsonReply reply = get("/v2");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("name").asString()).isEqualTo("rnn-serving");
        assertThat(reply.json().get("version").asString()).isNotBlank();
        // the name Triton and KServe report for it
        assertThat(reply.json().get("extensions").valueStream().map(JsonNode::asString))
                .containsExactly("binary_tensor_data", "model_repository");
    }

    @Test
    void serverAndModelAreLiveAndReadyOnceTheModelIsLoaded() {
        assertThat(get("/v2/health/live").json().get("live").booleanValue()).isTrue();
        assertThat(get("/v2/health/ready").json().get("ready").booleanValue()).isTrue();
        JsonReply model = get("/v2/models/" + MODEL + "/ready");
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.json().get("name").asString()).isEqualTo(MODEL);
        assertThat(model.json().get("ready").booleanValue()).isTrue();
    }

    @Test
    void modelMetadataListsTheTensorsWithMinusOneForTheBatchAxis() {
        JsonReply reply = get("/v2/models/" + MODEL);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("name").asString()).isEqualTo(MODEL);
        assertThat(reply.json().get("platform").asString()).isNotBlank();
        // the notebook model is float32: its tensors are FP32
        assertThat(tensors(reply.json().get("inputs"))).containsExactly(
                "x FP32 [-1,10,3]", "h0 FP32 [-1,5]", "lengths INT64 [-1]");
        assertThat(tensors(reply.json().get("outputs"))).containsExactly(
                "yhat FP32 [-1,2]", "hidden FP32 [-1,10,5]", "state FP32 [-1,5]");
    }

    @Test
    void documentationExampleWithFlatFp64DataGivesExactlyWhatPredictGives() {
        // the infer request of the KServe v2 documentation, with this model's input
        JsonReply reply = post(INFER, """
                {"id": "42",
                 "inputs": [{"name": "x", "shape": [1, 10, 3], "datatype": "FP64", "data": %s}],
                 "outputs": [{"name": "yhat"}]}""".formatted(X_FLAT));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("model_name").asString()).isEqualTo(MODEL);
        assertThat(reply.json().get("id").asString()).isEqualTo("42");
        JsonNode yhat = output(reply, "yhat");
        // a float32 model answers FP32 whatever x is, the same numbers as /predict
        assertThat(yhat.get("datatype").asString()).isEqualTo("FP32");
        assertThat(shape(yhat)).containsExactly(1, 2);
        assertThat(flat(yhat.get("data"))).containsExactly(flat(predict("{\"x\": " + X + "}").get("yhat")));
    }

    @Test
    void fp32InputGivesFp32OutputsThatArePredictRoundedToFloat() {
        JsonReply reply = post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 10, 3], "datatype": "FP32", "data": %s}]}""".formatted(X_FLAT));

        JsonNode yhat = output(reply, "yhat");
        assertThat(yhat.get("datatype").asString()).isEqualTo("FP32");
        double[] expected = flat(predict("{\"x\": " + X + "}").get("yhat"));
        double[] actual = flat(yhat.get("data"));
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((float) actual[i]).isEqualTo((float) expected[i]);
        }
    }

    @Test
    void nestedDataIsReadLikeFlatData() {
        JsonReply nested = post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 10, 3], "datatype": "FP64", "data": %s}]}""".formatted(X));
        JsonReply flat = post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 10, 3], "datatype": "FP64", "data": %s}]}""".formatted(X_FLAT));

        assertThat(nested.status()).isEqualTo(200);
        assertThat(nested.json()).isEqualTo(flat.json());
    }

    @Test
    void hiddenAndStateAreWhatPredictGivesWithTraceAndReturnState() {
        JsonReply reply = post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 10, 3], "datatype": "FP64", "data": %s}],
                 "outputs": [{"name": "state"}, {"name": "hidden"}, {"name": "yhat"}]}""".formatted(X));
        JsonNode expected = predict("{\"x\": " + X + ", \"trace\": true, \"returnState\": true}");

        assertThat(reply.json().get("outputs").valueStream().map(o -> o.get("name").asString()))
                .containsExactly("state", "hidden", "yhat");
        assertThat(shape(output(reply, "hidden"))).containsExactly(1, 10, 5);
        assertThat(flat(output(reply, "hidden").get("data"))).containsExactly(flat(expected.get("hidden")));
        assertThat(shape(output(reply, "state"))).containsExactly(1, 5);
        assertThat(flat(output(reply, "state").get("data"))).containsExactly(flat(expected.get("state")));
        assertThat(flat(output(reply, "yhat").get("data"))).containsExactly(flat(expected.get("yhat")));
    }

    @Test
    void h0AndLengthsGiveWhatPredictGivesAndHiddenIsZeroPastEachLength() {
        String x = "[[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9]],[[1.0,1.1,1.2],[1.3,1.4,1.5],[0,0,0]]]";
        String h0 = "[[0.1,-0.2,0.3,-0.4,0.5],[-0.5,0.4,-0.3,0.2,-0.1]]";
        JsonReply reply = post(INFER, """
                {"inputs": [{"name": "x", "shape": [2, 3, 3], "datatype": "FP64", "data": %s},
                            {"name": "h0", "shape": [2, 5], "datatype": "FP64", "data": %s},
                            {"name": "lengths", "shape": [2], "datatype": "INT32", "data": [3, 2]}],
                 "outputs": [{"name": "yhat"}, {"name": "hidden"}, {"name": "state"}]}""".formatted(x, h0));
        JsonNode expected = predict("""
                {"x": %s, "h0": %s, "lengths": [3, 2], "trace": true, "returnState": true}""".formatted(x, h0));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(flat(output(reply, "yhat").get("data"))).containsExactly(flat(expected.get("yhat")));
        assertThat(flat(output(reply, "state").get("data"))).containsExactly(flat(expected.get("state")));
        double[] hidden = flat(output(reply, "hidden").get("data"));
        double[] sample0 = flat(expected.get("hidden").get(0));
        double[] sample1 = flat(expected.get("hidden").get(1));
        assertThat(sample1).hasSize(2 * 5);
        assertThat(java.util.Arrays.copyOfRange(hidden, 0, 15)).containsExactly(sample0);
        assertThat(java.util.Arrays.copyOfRange(hidden, 15, 25)).containsExactly(sample1);
        assertThat(java.util.Arrays.copyOfRange(hidden, 25, 30)).containsOnly(0.0);
    }

    @Test
    void unknownModelIsA404ErrorOnEveryModelEndpoint() {
        assertError(get("/v2/models/nope"), 404, "nope");
        assertError(get("/v2/models/nope/ready"), 404, "nope");
        assertError(post("/v2/models/nope/infer", "{}"), 404, "nope");
    }

    @Test
    void wrongFeatureCountIsA400Error() {
        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 2, 2], "datatype": "FP64", "data": [1, 2, 3, 4]}]}"""),
                400, "[N, T, 3]");
    }

    @Test
    void integerDatatypeForXIsA400Error() {
        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 1, 3], "datatype": "INT32", "data": [1, 2, 3]}]}"""),
                400, "FP32 or FP64");
    }

    @Test
    void dataCountThatIsNotTheProductOfTheShapeIsA400Error() {
        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 2, 3], "datatype": "FP64", "data": [1, 2, 3, 4, 5]}]}"""),
                400, "needs 6");
    }

    @Test
    void raggedNestedDataIsA400ErrorWithItsPlace() {
        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 2, 3], "datatype": "FP64", "data": [[[1, 2, 3], [4, 5]]]}]}"""),
                400, "/inputs/0/data/0/1");
    }

    @Test
    void unknownOutputMalformedJsonAndBadLengthsAre400Errors() {
        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 1, 3], "datatype": "FP64", "data": [1, 2, 3]}],
                 "outputs": [{"name": "logits"}]}"""), 400, "logits");
        assertError(post(INFER, "{\"inputs\": [}"), 400, "JSON");
        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 1, 3], "datatype": "FP64", "data": [1, 2, 3]},
                            {"name": "lengths", "shape": [1], "datatype": "INT64", "data": [2]}]}"""), 400, "1 to 1");
    }

    @Test
    void batchBeyondTheLimitIsA413Error() {
        int samples = 4097;
        StringBuilder data = new StringBuilder("0");
        data.append(",0".repeat(samples * 3 - 1));
        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [%d, 1, 3], "datatype": "FP64", "data": [%s]}]}"""
                .formatted(samples, data)), 413, "the limit is 4096 (at /inputs/0/shape)");
    }

    @Test
    void unknownPathUnderV2IsA404Error() {
        assertError(get("/v2/models/" + MODEL + "/explain"), 404, "no such endpoint");
    }

    @Test
    void aVersionThatIsNotServedIsA404ErrorNamingTheServedOnes() {
        assertError(get("/v2/models/" + MODEL + "/versions/7"), 404,
                "model 'notebook-simple-rnn' version 7 is not served; AVAILABLE versions: 1");
    }

    private void assertError(JsonReply reply, int status, String mentions) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
        assertThat(reply.json().propertyNames()).containsExactly("error");
        assertThat(reply.json().get("error").asString()).contains(mentions).doesNotContain("Exception", "at io.");
    }

    private JsonNode predict(String body) {
        JsonReply reply = post("/predict", body);
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode output(JsonReply reply, String name) {
        assertThat(reply.status()).isEqualTo(200);
        return reply.json().get("outputs").valueStream()
                .filter(o -> o.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no output " + name + " in " + reply.json()));
    }

    private static List<String> tensors(JsonNode list) {
        return list.valueStream()
                .map(t -> t.get("name").asString() + " " + t.get("datatype").asString() + " "
                        + t.get("shape").toString())
                .toList();
    }

    private static int[] shape(JsonNode tensor) {
        return tensor.get("shape").valueStream().mapToInt(JsonNode::intValue).toArray();
    }

    /** Every number of a nested array, row-major. */
    private static double[] flat(JsonNode node) {
        List<Double> values = new ArrayList<>();
        collect(node, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> values) {
        if (node.isArray()) {
            node.valueStream().forEach(child -> collect(child, values));
        } else {
            values.add(node.doubleValue());
        }
    }

    private JsonReply get(String uri) {
        return JsonReply.get(client, uri);
    }

    private JsonReply post(String uri, String body) {
        return JsonReply.post(client, uri, body);
    }
}
