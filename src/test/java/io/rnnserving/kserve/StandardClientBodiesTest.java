package io.rnnserving.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies exactly as the standard clients build them, written from their sources: the KServe Python SDK's
 * {@code InferRequest.to_rest()} (python/kserve/kserve/protocol/infer_type.py: always {@code id} and
 * {@code model_name}, {@code orjson} compact, binary inputs with {@code binary_data_size} after the JSON) and
 * tritonclient's HTTP client ({@code _get_inference_request} in tritonclient/http/_utils.py: {@code json.dumps} with
 * its spaces, inputs as binary data by default, {@code binary_data_output} when no output is named, the whole body
 * gzipped with {@code request_compression_algorithm='gzip'}). The expected numbers are Keras' for the README
 * sequence, {@code [[-0.22783875, 0.23407787]]} (src/test/resources/reference), to float32 precision.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StandardClientBodiesTest {
    private static final String MODEL = "notebook-simple-rnn";
    private static final double[] KERAS = {-0.22783875, 0.23407787};
    private static final double[] X = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6,
            1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0};
    private static final String HEADER = "Inference-Header-Content-Length";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void kserveSdkJsonRequestWithModelNameAndIdIsServedAndEchoesTheId() throws Exception {
        String body = "{\"id\":\"1b4e28ba-2fa1-11d2-883f-0016d3cca427\",\"model_name\":\"" + MODEL + "\","
                + "\"inputs\":[{\"name\":\"x\",\"shape\":[1,10,3],\"datatype\":\"FP32\",\"data\":" + flat() + "}]}";
        Reply reply = send(infer(bytes(body)).header("content-type", "application/json"));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("id").asString()).isEqualTo("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        assertThat(json.get("model_name").asString()).isEqualTo(MODEL);
        assertKeras(json.get("outputs").get(0).get("data"));
    }

    @Test
    void kserveSdkRequestWithModelVersionOutputsAndParametersIsServed() throws Exception {
        String body = "{\"id\":\"a\",\"model_name\":\"" + MODEL + "\",\"model_version\":\"1\",\"inputs\":[{\"name\":"
                + "\"x\",\"shape\":[1,10,3],\"datatype\":\"FP64\",\"data\":" + flat() + "}],\"outputs\":[{\"name\":"
                + "\"yhat\",\"parameters\":{\"binary_data\":false}}],\"parameters\":{\"custom\":\"kept aside\"}}";
        Reply reply = send(infer(bytes(body)).header("content-type", "application/json"));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertKeras(reply.json().get("outputs").get(0).get("data"));
    }

    @Test
    void kserveSdkBinaryRequestIsServed() throws Exception {
        String json = "{\"id\":\"b\",\"model_name\":\"" + MODEL + "\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,10,3],"
                + "\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":120}}]}";
        Reply reply = send(infer(concat(bytes(json), float32(X)))
                .header("content-type", "application/octet-stream")
                .header(HEADER, Integer.toString(bytes(json).length)));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertKeras(reply.json().get("outputs").get(0).get("data"));
    }

    @Test
    void aModelNameOrVersionThatIsNotThePathsIs400AtItsPointer() throws Exception {
        String other = "{\"id\":\"c\",\"model_name\":\"other-model\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,10,3],"
                + "\"datatype\":\"FP64\",\"data\":" + flat() + "}]}";
        String version = other.replace("\"other-model\"", "\"" + MODEL + "\",\"model_version\":\"7\"");
        Reply name = send(infer(bytes(other)).header("content-type", "application/json"));
        Reply wrongVersion = send(infer(bytes(version)).header("content-type", "application/json"));

        assertThat(name.status()).isEqualTo(400);
        assertThat(name.json().get("error").asString())
                .isEqualTo("model_name 'other-model' is not the model of the path, '" + MODEL + "' (at /model_name)");
        assertThat(wrongVersion.status()).isEqualTo(400);
        assertThat(wrongVersion.json().get("error").asString()).contains("model_version '7' is not the version that serves this request, '1'")
                .endsWith("(at /model_version)");
    }

    @Test
    void tritonclientDefaultRequestGzippedWithBinaryInputAndOutputIsServed() throws Exception {
        String json = "{\"id\": \"42\", \"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 3], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 120}}], \"parameters\": {\"binary_data_output\": true}}";
        Reply reply = send(infer(gzip(concat(bytes(json), float32(X))))
                .header("Content-Encoding", "gzip")
                .header(HEADER, Integer.toString(bytes(json).length)));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        int jsonLength = Integer.parseInt(reply.headers().firstValue(HEADER).orElseThrow());
        JsonNode head = JsonMapper.shared().readTree(Arrays.copyOf(reply.body(), jsonLength));
        assertThat(head.get("id").asString()).isEqualTo("42");
        assertThat(head.get("outputs").get(0).get("parameters").get("binary_data_size").asLong()).isEqualTo(8);
        ByteBuffer yhat = ByteBuffer.wrap(reply.body(), jsonLength, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat((double) yhat.getFloat()).isCloseTo(KERAS[0], within(1e-6));
        assertThat((double) yhat.getFloat()).isCloseTo(KERAS[1], within(1e-6));
    }

    @Test
    void tritonclientJsonRequestWithPriorityAndTimeoutIsServed() throws Exception {
        String body = "{\"id\": \"7\", \"parameters\": {\"priority\": 1, \"timeout\": 5000000}, \"inputs\": [{\"name\":"
                + " \"x\", \"shape\": [1, 10, 3], \"datatype\": \"FP32\", \"data\": " + flat().replace(",", ", ")
                + "}], \"outputs\": [{\"name\": \"yhat\", \"parameters\": {\"binary_data\": false}}]}";
        Reply reply = send(infer(bytes(body)));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertKeras(reply.json().get("outputs").get(0).get("data"));
    }

    @Test
    void tritonclientSequenceAndClassificationParametersAreRefusedByName() throws Exception {
        String sequence = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 3], \"datatype\": \"FP32\", \"data\": "
                + flat() + "}], \"parameters\": {\"sequence_id\": 3, \"sequence_start\": true, \"sequence_end\": false,"
                + " \"binary_data_output\": true}}";
        String classification = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 3], \"datatype\": \"FP32\", "
                + "\"data\": " + flat() + "}], \"outputs\": [{\"name\": \"yhat\", \"parameters\": {\"classification\": "
                + "2, \"binary_data\": false}}]}";
        Reply stateful = send(infer(bytes(sequence)));
        Reply classes = send(infer(bytes(classification)));

        assertThat(stateful.status()).isEqualTo(400);
        assertThat(stateful.json().get("error").asString()).startsWith("the parameter 'sequence_id' is not served")
                .endsWith("(at /parameters/sequence_id)");
        assertThat(classes.status()).isEqualTo(400);
        assertThat(classes.json().get("error").asString())
                .startsWith("the output parameter 'classification' is not served")
                .endsWith("(at /outputs/0/parameters/classification)");
    }

    @Test
    void kserveV1ClientFindsTheModelReadyAndPredicts() throws Exception {
        // InferenceRESTClient with protocol v1: GET v1/models/{name} reads "ready"; infer posts to :predict
        Reply status = send(HttpRequest.newBuilder(uri("/v1/models/" + MODEL)).GET());
        String body = "{\"instances\":[" + Arrays.stream(X).mapToObj(Double::toString)
                .collect(Collectors.joining(",")).replaceAll("([^,]+),([^,]+),([^,]+)(,|$)", "[$1,$2,$3]$4")
                .transform(steps -> "[" + steps + "]") + "]}";
        Reply predict = send(HttpRequest.newBuilder(uri("/v1/models/" + MODEL + ":predict"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("ready").booleanValue()).isTrue();
        assertThat(predict.status()).as(predict.text() + " for " + body).isEqualTo(200);
        assertKeras(predict.json().get("predictions").get(0));
    }

    private static void assertKeras(JsonNode values) {
        assertThat(values.size()).isEqualTo(2);
        assertThat(values.get(0).asDouble()).isCloseTo(KERAS[0], within(1e-6));
        assertThat(values.get(1).asDouble()).isCloseTo(KERAS[1], within(1e-6));
    }

    private HttpRequest.Builder infer(byte[] body) {
        return HttpRequest.newBuilder(uri("/v2/models/" + MODEL + "/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    private record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }
    }

    private static String flat() {
        return Arrays.stream(X).mapToObj(Double::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private static byte[] float32(double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            buffer.putFloat((float) value);
        }
        return buffer.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        }
        return out.toByteArray();
    }
}
