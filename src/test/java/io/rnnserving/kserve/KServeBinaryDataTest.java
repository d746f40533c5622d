package io.rnnserving.kserve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The binary tensor data extension on POST /v2/models/{name}/infer against a running server. The reference for
 * every number is the same request sent as JSON, whose numbers KServeControllerTest pins to POST /predict and so to
 * Keras: binary FP32 inputs are compared with JSON that carries the same float32 values exactly, bit for bit.
 * The malformed bodies with declared lengths are in the malformed corpus; chunked ones are here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class KServeBinaryDataTest {
    private static final String INFER = "/v2/models/notebook-simple-rnn/infer";
    private static final String HEADER = "Inference-Header-Content-Length";

    @Autowired
    RestTestClient client;

    @LocalServerPort
    int port;

    @Test
    void binaryFp32InputGivesBitForBitWhatTheSameFloatsGiveAsJson() {
        float[] x = gaussianFloats(3 * 10 * 3, 7);
        String outputs = "[{\"name\": \"yhat\"}, {\"name\": \"hidden\"}, {\"name\": \"state\"}]";

        Reply json = post(INFER, """
                {"inputs": [{"name": "x", "shape": [3, 10, 3], "datatype": "FP32", "data": %s}], "outputs": %s}"""
                .formatted(exactly(x), outputs));
        Reply binary = postBinary("""
                {"inputs": [{"name": "x", "shape": [3, 10, 3], "datatype": "FP32",
                             "parameters": {"binary_data_size": 360}}], "outputs": %s}""".formatted(outputs), fp32(x));

        assertThat(json.status()).isEqualTo(200);
        assertThat(binary.status()).isEqualTo(200);
        assertThat(binary.contentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
        assertThat(binary.json()).isEqualTo(json.json());
    }

    @Test
    void binaryOutputsDecodeToTheNumbersTheJsonOutputsGive() {
        float[] x = gaussianFloats(2 * 4 * 3, 11);
        String fp32Request = """
                {"id": "b", "inputs": [{"name": "x", "shape": [2, 4, 3], "datatype": "FP32", "data": %s}],
                 "outputs": [{"name": "hidden"}, {"name": "yhat"}]%s}""";
        Reply json = post(INFER, fp32Request.formatted(exactly(x), ""));
        Reply binary = post(INFER, fp32Request.formatted(exactly(x), ", \"parameters\": {\"binary_data_output\": true}"));

        assertThat(binary.status()).isEqualTo(200);
        assertThat(binary.contentType()).isEqualTo(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        assertThat(binary.json().get("id").asString()).isEqualTo("b");
        JsonNode hidden = binary.json().get("outputs").get(0);
        assertThat(hidden.has("data")).isFalse();
        assertThat(hidden.get("parameters").get("binary_data_size").asLong()).isEqualTo(2 * 4 * 5 * 4);
        assertThat(binary.layout()).isEqualTo(json.layout());
        assertThat(binary.values("hidden")).containsExactly(json.values("hidden"));
        assertThat(binary.values("yhat")).containsExactly(json.values("yhat"));
        assertThat(binary.body()).hasSize(binary.jsonLength() + (2 * 4 * 5 + 2 * 2) * 4);

        // FP64 x to a float32 model: FP32 outputs, 4 bytes a value, the same floats the JSON prints
        String fp64Request = """
                {"inputs": [{"name": "x", "shape": [2, 4, 3], "datatype": "FP64", "data": %s}],
                 "outputs": [{"name": "state"%s}]}""";
        Reply fp64Json = post(INFER, fp64Request.formatted(exactly(x), ""));
        Reply fp64Binary = post(INFER, fp64Request.formatted(exactly(x), ", \"parameters\": {\"binary_data\": true}"));
        assertThat(fp64Binary.json().get("outputs").get(0).get("parameters").get("binary_data_size").asLong())
                .isEqualTo(2 * 5 * 4);
        assertThat(fp64Binary.values("state")).hasSize(10).containsExactly(fp64Json.values("state"));
    }

    @Test
    void anOutputsOwnBinaryDataWinsOverTheRequestsBinaryDataOutput() {
        Reply reply = post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 2, 3], "datatype": "FP64", "data": [1, 2, 3, 4, 5, 6]}],
                 "parameters": {"binary_data_output": true},
                 "outputs": [{"name": "yhat", "parameters": {"binary_data": false}}, {"name": "state"}]}""");

        assertThat(reply.contentType()).isEqualTo(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        assertThat(reply.json().get("outputs").get(0).has("data")).isTrue();
        assertThat(reply.json().get("outputs").get(0).has("parameters")).isFalse();
        assertThat(reply.json().get("outputs").get(1).has("data")).isFalse();
        assertThat(reply.json().get("outputs").get(1).get("parameters").get("binary_data_size").asLong()).isEqualTo(20);
    }

    @Test
    void binaryXWorksWithH0AndLengthsSentEitherWay() {
        double[] x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 0, 0, 0};
        double[] h0 = {0.1, -0.2, 0.3, -0.4, 0.5, -0.5, 0.4, -0.3, 0.2, -0.1};
        String outputs = "[{\"name\": \"yhat\"}, {\"name\": \"hidden\"}, {\"name\": \"state\"}]";
        Reply json = post(INFER, """
                {"inputs": [{"name": "x", "shape": [2, 3, 3], "datatype": "FP64", "data": %s},
                            {"name": "h0", "shape": [2, 5], "datatype": "FP64", "data": %s},
                            {"name": "lengths", "shape": [2], "datatype": "INT32", "data": [3, 2]}],
                 "outputs": %s}""".formatted(Arrays.toString(x), Arrays.toString(h0), outputs));

        Reply binaryX = postBinary("""
                {"inputs": [{"name": "x", "shape": [2, 3, 3], "datatype": "FP64", "parameters": {"binary_data_size": 144}},
                            {"name": "h0", "shape": [2, 5], "datatype": "FP64", "data": %s},
                            {"name": "lengths", "shape": [2], "datatype": "INT32", "data": [3, 2]}],
                 "outputs": %s}""".formatted(Arrays.toString(h0), outputs), fp64(x));
        // every input binary, in the order of the inputs (not of the names), lengths as INT64
        Reply allBinary = postBinary("""
                {"inputs": [{"name": "lengths", "shape": [2], "datatype": "INT64", "parameters": {"binary_data_size": 16}},
                            {"name": "h0", "shape": [2, 5], "datatype": "FP32", "parameters": {"binary_data_size": 40}},
                            {"name": "x", "shape": [2, 3, 3], "datatype": "FP64", "parameters": {"binary_data_size": 144}}],
                 "outputs": %s}""".formatted(outputs), int64(3, 2), fp32(toFloats(h0)), fp64(x));
        Reply h0AsFloats = post(INFER, """
                {"inputs": [{"name": "x", "shape": [2, 3, 3], "datatype": "FP64", "data": %s},
                            {"name": "h0", "shape": [2, 5], "datatype": "FP32", "data": %s},
                            {"name": "lengths", "shape": [2], "datatype": "INT64", "data": [3, 2]}],
                 "outputs": %s}""".formatted(Arrays.toString(x), exactly(toFloats(h0)), outputs));

        assertThat(json.status()).isEqualTo(200);
        assertThat(binaryX.json()).isEqualTo(json.json());
        assertThat(allBinary.status()).isEqualTo(200);
        assertThat(allBinary.json()).isEqualTo(h0AsFloats.json());
    }

    @Test
    void withoutTheHeaderTheBodyIsAllJsonAndInputParametersAreIgnoredAsBefore() {
        Reply reply = post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 1, 3], "datatype": "FP64", "data": [1, 2, 3],
                             "parameters": {"binary_data_size": 24}}]}""");
        assertThat(reply.status()).isEqualTo(200);

        assertError(post(INFER, """
                {"inputs": [{"name": "x", "shape": [1, 1, 3], "datatype": "FP32",
                             "parameters": {"binary_data_size": 12}}]}"""), 400,
                "an input needs name, shape, datatype and data (or parameters.binary_data_size, with the header "
                        + HEADER + ") (at /inputs/0/data)");
    }

    @Test
    void aHeaderThatIsNotTheLengthOfTheJsonIsA400Error() {
        String header = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1, 3], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 12}}]}";
        byte[] body = concat(header.getBytes(StandardCharsets.UTF_8), fp32(1, 2, 3));
        for (String value : new String[] {"abc", "-1", "1.5", "", "0x10", "+5"}) {
            assertError(post(INFER, body, value), 400, "the header " + HEADER + " is '" + value
                    + "'; it must be a non-negative integer");
        }
        assertError(post(INFER, body, Integer.toString(body.length + 1)), 400,
                "gives " + (body.length + 1) + " bytes of JSON, but the whole body is " + body.length + " bytes");
        assertError(post(INFER, body, "123456789012345678901234567890"), 400, "but the whole body is");
        assertError(post(INFER, body, Integer.toString(header.length() - 1)), 400,
                "the JSON is the first " + (header.length() - 1) + " bytes of the body");
        assertError(post(INFER, body, Integer.toString(header.length() + 4)), 400,
                "the JSON is the first " + (header.length() + 4) + " bytes of the body");
    }

    @Test
    void binaryDataThatDoesNotFitItsShapeOrTheBodyIsA400Error() {
        String x = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2, 3], \"datatype\": \"%s\", "
                + "\"parameters\": {\"binary_data_size\": %d}%s}]}";
        assertError(postBinary(x.formatted("FP32", 20, ""), new byte[20]), 400,
                "input 'x' has binary_data_size 20 but its shape [1, 2, 3] of FP32 takes 24 bytes (6 values of 4 bytes) "
                        + "(at /inputs/0/parameters/binary_data_size)");
        assertError(postBinary(x.formatted("FP32", 24, ", \"data\": [1, 2, 3, 4, 5, 6]"), new byte[24]), 400,
                "input 'x' has both data and parameters.binary_data_size");
        assertError(postBinary(x.formatted("FP32", 24, ""), new byte[23]), 400, "1 byte is missing");
        assertError(postBinary(x.formatted("FP32", 24, ""), new byte[25]), 400,
                "1 byte is left over after the last tensor");
        assertError(postBinary(x.formatted("FP16", 12, ""), new byte[12]), 400,
                "datatype FP16, which is not read as binary data here; binary inputs are FP32, FP64, INT32 or INT64 "
                        + "(at /inputs/0/datatype)");
        assertError(postBinary(x.formatted("INT32", 24, ""), new byte[24]), 400,
                "input 'x' has datatype INT32; it must be FP32 or FP64");
    }

    @Test
    void nonFiniteBinaryValuesAreRefusedAsJsonNaNAndInfinityAre() {
        String x = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2, 3], \"datatype\": \"%s\", "
                + "\"parameters\": {\"binary_data_size\": %d}}]}";
        assertError(postBinary(x.formatted("FP32", 24), fp32(1, 2, 3, 4, Float.NaN, 6)), 400,
                "input 'x', value 4 (byte 16 of its binary data): NaN is not allowed; inputs must be finite numbers "
                        + "within ±3.4028235e38 (at /inputs/0)");
        assertError(postBinary(x.formatted("FP32", 24), fp32(Float.NEGATIVE_INFINITY, 2, 3, 4, 5, 6)), 400,
                "value 0 (byte 0 of its binary data): an infinite number is not allowed");
        assertError(postBinary(x.formatted("FP64", 48), fp64(1, 2, 3, 4, 5, 1e39)), 400,
                "value 5 (byte 40 of its binary data): a number beyond float range is not allowed");
        assertThat(postBinary(x.formatted("FP32", 24), fp32(Float.MAX_VALUE, -Float.MAX_VALUE, 0, 0, 0, 0)).status())
                .isEqualTo(200);
    }

    @Test
    void chunkedBodiesWithBytesMissingOrLeftOverAre400Errors() throws Exception {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2, 3], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 24}}]}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        String length = Integer.toString(header.length);
        byte[] x = fp32(1, 2, 3, 4, 5, 6);

        assertThat(postChunked(concat(header, x), length).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = postChunked(concat(header, Arrays.copyOf(x, 23)), length);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("the body ends after 23 of the 24 bytes of binary data of input 'x' "
                + "(at /inputs/0/parameters/binary_data_size)");
        HttpResponse<String> leftOver = postChunked(concat(header, x, new byte[] {0}), length);
        assertThat(leftOver.statusCode()).isEqualTo(400);
        assertThat(leftOver.body()).contains("the body has bytes left over after the 24 bytes of binary data");
        HttpResponse<String> shortJson = postChunked(Arrays.copyOf(header, 10), length);
        assertThat(shortJson.statusCode()).isEqualTo(400);
        assertThat(shortJson.body()).contains("the body ends after 10 bytes, before the " + length + " bytes of JSON");
    }

    private HttpResponse<String> postChunked(byte[] body, String jsonLength) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + INFER))
                .timeout(Duration.ofSeconds(20))
                .header(HEADER, jsonLength)
                // a stream of unknown length goes chunked, with no Content-Length
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Seeded standard-normal values rounded to float32. */
    private static float[] gaussianFloats(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** A JSON array whose numbers are exactly the float32 values, as a client printing them as doubles sends them. */
    static String exactly(float[] values) {
        StringJoiner json = new StringJoiner(", ", "[", "]");
        for (float value : values) {
            json.add(Double.toString(value));
        }
        return json.toString();
    }

    static byte[] fp32(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    static byte[] fp64(double... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return bytes.array();
    }

    static byte[] int32(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return bytes.array();
    }

    static byte[] int64(long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return bytes.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private void assertError(Reply reply, int status, String mentions) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
        assertThat(reply.json().propertyNames()).containsExactly("error");
        assertThat(reply.json().get("error").asString()).contains(mentions).doesNotContain("Exception", "at io.");
    }

    /** The JSON, then the tensors' bytes, with the header giving the JSON's length. */
    private Reply postBinary(String json, byte[]... tensors) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return post(INFER, concat(header, concat(tensors)), Integer.toString(header.length));
    }

    private Reply post(String uri, String json) {
        return reply(client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(json).exchange()
                .returnResult(byte[].class));
    }

    private Reply post(String uri, byte[] body, String jsonLength) {
        return reply(client.post().uri(uri).contentType(MediaType.APPLICATION_OCTET_STREAM).header(HEADER, jsonLength)
                .body(body).exchange().returnResult(byte[].class));
    }

    private static Reply reply(EntityExchangeResult<byte[]> result) {
        MediaType type = result.getResponseHeaders().getContentType();
        String jsonLength = result.getResponseHeaders().getFirst(HEADER);
        return new Reply(result.getStatus().value(), type == null ? "" : type.getType() + "/" + type.getSubtype(),
                result.getResponseBody(), jsonLength == null ? -1 : Integer.parseInt(jsonLength));
    }

    /** An answer; {@code jsonLength} is the response's own header, -1 for an answer that is all JSON. */
    private record Reply(int status, String contentType, byte[] body, int jsonLength) {
        JsonNode json() {
            return JsonMapper.shared().readTree(jsonLength < 0 ? body : Arrays.copyOf(body, jsonLength));
        }

        /**
         * An output's values: from its bytes when it was sent as binary data, else from its JSON data; FP32 values as
         * the floats they are, so that equal arrays mean equal bits.
         */
        double[] values(String name) {
            JsonNode json = json();
            ByteBuffer bytes = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
            bytes.position(Math.max(0, jsonLength));
            for (JsonNode output : json.get("outputs")) {
                boolean fp32 = output.get("datatype").asString().equals("FP32");
                long size = output.path("parameters").path("binary_data_size").asLong(-1);
                if (output.get("name").asString().equals(name)) {
                    if (size < 0) {
                        return output.get("data").valueStream()
                                .mapToDouble(v -> fp32 ? (float) v.doubleValue() : v.doubleValue()).toArray();
                    }
                    double[] values = new double[(int) (size / (fp32 ? 4 : 8))];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = fp32 ? bytes.getFloat() : bytes.getDouble();
                    }
                    return values;
                }
                bytes.position(bytes.position() + (int) Math.max(0, size));
            }
            throw new AssertionError("no output " + name + " in " + json);
        }

        /** The JSON without the data of the outputs and their binary_data_size: names, shapes, datatypes. */
        JsonNode layout() {
            JsonNode json = json();
            json.get("outputs").forEach(output -> {
                ((tools.jackson.databind.node.ObjectNode) output).remove("data");
                ((tools.jackson.databind.node.ObjectNode) output).remove("parameters");
            });
            return json;
        }
    }
}
