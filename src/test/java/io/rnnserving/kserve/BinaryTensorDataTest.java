package io.rnnserving.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The binary tensor data extension below HTTP: a wider stacked model than the default one reads binary inputs into
 * the same arrays as JSON ones, and a binary response is its JSON followed by the outputs' little-endian bytes.
 */
class BinaryTensorDataTest {
    private static final int D = 16;
    /** Random weights: this pins the reading, not the arithmetic, so any weights serve. */
    private static final RecurrentModel MODEL = RecurrentModel.of("wide", null, D, List.of(
            SimpleRnnLayer.of("rnn_1", gaussian(D, 32, 1), gaussian(32, 32, 2), gaussian(1, 32, 3)[0],
                    Activation.TANH, true, false, false),
            SimpleRnnLayer.of("rnn_2", gaussian(32, 24, 4), gaussian(24, 24, 5), gaussian(1, 24, 6)[0],
                    Activation.TANH, false, false, false),
            DenseLayer.of("dense", gaussian(24, 4, 7), gaussian(1, 4, 8)[0], Activation.LINEAR)));

    @Test
    void aWiderStackedModelReadsBinaryInputsIntoTheSameArraysAsJsonBitForBit() {
        int samples = 8;
        int steps = 25;
        float[] x = floats(samples * steps * D, 9);
        double[] h0 = gaussian(1, samples * 24, 10)[0];
        String outputs = "[{\"name\": \"yhat\"}, {\"name\": \"state/rnn_1\"}, {\"name\": \"hidden/rnn_2\"}]";
        InferRequest json = read("""
                {"inputs": [{"name": "x", "shape": [8, 25, 16], "datatype": "FP32", "data": %s},
                            {"name": "h0/rnn_2", "shape": [8, 24], "datatype": "FP64", "data": %s},
                            {"name": "lengths", "shape": [8], "datatype": "INT32", "data": [25, 1, 2, 3, 24, 25, 10, 7]}],
                 "outputs": %s}""".formatted(KServeBinaryDataTest.exactly(x), Arrays.toString(h0), outputs));
        InferRequest binary = readBinary("""
                {"inputs": [{"name": "h0/rnn_2", "shape": [8, 24], "datatype": "FP64", "parameters": {"binary_data_size": 1536}},
                            {"name": "x", "shape": [8, 25, 16], "datatype": "FP32", "parameters": {"binary_data_size": 12800}},
                            {"name": "lengths", "shape": [8], "datatype": "INT32", "parameters": {"binary_data_size": 32}}],
                 "outputs": %s}""".formatted(outputs),
                KServeBinaryDataTest.fp64(h0), KServeBinaryDataTest.fp32(x), KServeBinaryDataTest.int32(25, 1, 2, 3, 24, 25, 10, 7));

        assertThat(Arrays.copyOf(bind(binary).batch().values().toDoubles(), x.length))
                .containsExactly(Arrays.copyOf(bind(json).batch().values().toDoubles(), x.length));
        assertThat(bind(binary).batch().lengths()).containsExactly(bind(json).batch().lengths());
        assertThat(bind(binary).statePartsByLayer()).containsOnlyKeys("rnn_2");
        assertThat(bind(binary).statePartsByLayer().get("rnn_2").get("h"))
                .containsExactly(bind(json).statePartsByLayer().get("rnn_2").get("h"));
        assertThat(binary.single()).isTrue();
        InferResponse fromJson = InferResponse.of(MODEL.name(), "1", MODEL, json,
                MODEL.predictFromStates(bind(json).batch(), bind(json).statePartsByLayer(), true));
        InferResponse fromBinary = InferResponse.of(MODEL.name(), "1", MODEL, binary,
                MODEL.predictFromStates(bind(binary).batch(), bind(binary).statePartsByLayer(), true));
        for (int i = 0; i < 3; i++) {
            assertThat((float[]) fromBinary.outputs().get(i).data()).containsExactly((float[]) fromJson.outputs().get(i).data());
        }
    }

    @Test
    void aBinaryResponseIsItsJsonThenTheOutputsLittleEndianBytes() {
        InferResponse response = new InferResponse("m", "1", null, List.of(
                new InferResponse.OutputTensor("yhat", new int[] {1, 2}, "FP32", null, new float[] {1.5f, -2f}),
                new InferResponse.OutputTensor("hidden", new int[] {1, 1, 1}, "FP64", null, new double[] {0.5}),
                new InferResponse.OutputTensor("state", new int[] {1, 1}, "FP64", null, new double[] {-1})));

        BinaryInferResponse binary = BinaryInferResponse.of(response, List.of(
                new RequestedOutput("yhat", RequestedOutput.Kind.YHAT, null, null, true),
                new RequestedOutput("hidden", RequestedOutput.Kind.HIDDEN, "rnn", "h", false),
                new RequestedOutput("state", RequestedOutput.Kind.STATE, "rnn", "h", true)), JsonMapper.shared());

        String json = "{\"model_name\":\"m\",\"model_version\":\"1\",\"outputs\":["
                + "{\"name\":\"yhat\",\"shape\":[1,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":8}},"
                + "{\"name\":\"hidden\",\"shape\":[1,1,1],\"datatype\":\"FP64\",\"data\":[0.5]},"
                + "{\"name\":\"state\",\"shape\":[1,1],\"datatype\":\"FP64\",\"parameters\":{\"binary_data_size\":8}}]}";
        assertThat(binary.jsonLength()).isEqualTo(json.length());
        assertThat(new String(binary.body(), 0, binary.jsonLength(), StandardCharsets.UTF_8)).isEqualTo(json);
        // IEEE 754 by hand: 1.5f = 0x3FC00000, -2f = 0xC0000000, -1.0 = 0xBFF0000000000000, low byte first
        assertThat(Arrays.copyOfRange(binary.body(), binary.jsonLength(), binary.body().length)).containsExactly(
                0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0xBF);
    }

    @Test
    void aTensorOfMoreValuesThanTheLimitIsRefusedBeforeItsBytesAreRead() {
        RequestLimits limits = new RequestLimits(1 << 20, 16, 50, 600, 32);
        String json = """
                {"inputs": [{"name": "x", "shape": [2147483647, 2147483647, 2147483647, 16], "datatype": "FP64",
                             "parameters": {"binary_data_size": 8}}]}""";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new InferRequestReader(MODEL, limits, MODEL.name(), "1").readWithBinaryData(
                new ByteArrayInputStream(header), header.length, header.length))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.BATCH_TOO_LARGE);
                    assertThat(e.pointer()).isEqualTo("/inputs/0/shape");
                    assertThat(e.detail()).contains("more than 600 numbers, the limit");
                });
    }

    @Test
    void aChunkedBodyWhoseBinaryDataWouldPassTheBodyLimitIsRefusedBeforeItIsRead() {
        RequestLimits limits = new RequestLimits(1000, 16, 50, 1000, 32);
        String json = """
                {"inputs": [{"name": "x", "shape": [1, 50, 16], "datatype": "FP32",
                             "parameters": {"binary_data_size": 3200}}]}""";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);

        // -1: a chunked body declares no length, so only the declared binary_data_size can tell
        assertThatThrownBy(() -> new InferRequestReader(MODEL, limits, MODEL.name(), "1").readWithBinaryData(
                new ByteArrayInputStream(header), header.length, -1))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.BODY_TOO_LARGE);
                    assertThat(e.detail()).isEqualTo("the request body is " + (header.length + 3200) + " bytes ("
                            + header.length + " of JSON, 3200 of binary data); the limit is 1000");
                });
    }

    @Test
    void fp32BinaryDataReachesAFloat32ModelAsTheSameFloatBitsAndAFloat64ModelWidened() {
        // a subnormal, -0, the largest float, floats whose shortest text is not what a double prints, random ones
        float[] x = new float[2 * 3 * D];
        float[] chosen = {Float.MIN_VALUE, -0.0f, Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f, Math.nextUp(1f),
                1.17549435e-38f, 16777217f, (float) Math.PI, -3.4e-39f};
        System.arraycopy(chosen, 0, x, 0, chosen.length);
        float[] rest = floats(x.length - chosen.length, 11);
        System.arraycopy(rest, 0, x, chosen.length, rest.length);
        String json = """
                {"inputs": [{"name": "x", "shape": [2, 3, 16], "datatype": "FP32", "parameters": {"binary_data_size": %d}}]}"""
                .formatted(x.length * 4);

        RecurrentModel float32 = MODEL.withPrecision(Precision.FLOAT32);
        InputValues asFloats = bind(float32, readBinary(float32, json, KServeBinaryDataTest.fp32(x))).batch().values();
        InputValues asDoubles = bind(MODEL, readBinary(MODEL, json, KServeBinaryDataTest.fp32(x))).batch().values();

        assertThat(asFloats).isInstanceOf(InputValues.Floats.class);
        assertThat(bits(Arrays.copyOf(((InputValues.Floats) asFloats).array(), x.length))).containsExactly(bits(x));
        assertThat(asDoubles).isInstanceOf(InputValues.Doubles.class);
        for (int i = 0; i < x.length; i++) {
            assertThat(Double.doubleToRawLongBits(asDoubles.get(i))).as("value %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(x[i]));
        }
    }

    @Test
    void fp32JsonDataOfAFloat32ModelIsReadIntoFloatsOfTheSameBitsAsItsBinaryData() {
        float[] x = floats(4 * 5 * D, 12);
        RecurrentModel float32 = MODEL.withPrecision(Precision.FLOAT32);
        InferRequest json = read(float32, """
                {"inputs": [{"name": "x", "shape": [4, 5, 16], "datatype": "FP32", "data": %s}]}"""
                .formatted(KServeBinaryDataTest.exactly(x)));

        InputValues read = bind(float32, json).batch().values();

        assertThat(read).isInstanceOf(InputValues.Floats.class);
        assertThat(bits(Arrays.copyOf(((InputValues.Floats) read).array(), x.length))).containsExactly(bits(x));
    }

    @Test
    void jsonDataAfterItsShapeIsSizedByTheShapeWhenTheBodyDeclaresItsLength() {
        float[] x = floats(6 * 7 * D, 13);
        RecurrentModel float32 = MODEL.withPrecision(Precision.FLOAT32);
        byte[] body = """
                {"inputs": [{"name": "x", "shape": [6, 7, 16], "datatype": "FP32", "data": %s}]}"""
                .formatted(KServeBinaryDataTest.exactly(x)).getBytes(StandardCharsets.UTF_8);

        InferRequest read = new InferRequestReader(float32, RequestLimits.DEFAULTS, float32.name(), "1")
                .read(new ByteArrayInputStream(body), body.length);

        // exactly the shape's numbers: no doubling's spare room, no copy
        assertThat(((io.rnnserving.serving.ModelInput.Tensor) read.input().x()).values().length()).isEqualTo(x.length);
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static BoundRequest bind(InferRequest request) {
        return bind(MODEL, request);
    }

    private static BoundRequest bind(RecurrentModel model, InferRequest request) {
        return new RequestBinder(model, RequestLimits.DEFAULTS).bind(request.input(), request.at());
    }

    private static InferRequest read(String json) {
        return read(MODEL, json);
    }

    private static InferRequest read(RecurrentModel model, String json) {
        return new InferRequestReader(model, RequestLimits.DEFAULTS, model.name(), "1")
                .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static InferRequest readBinary(String json, byte[]... tensors) {
        return readBinary(MODEL, json, tensors);
    }

    private static InferRequest readBinary(RecurrentModel model, String json, byte[]... tensors) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        body.writeBytes(header);
        for (byte[] tensor : tensors) {
            body.writeBytes(tensor);
        }
        return new InferRequestReader(model, RequestLimits.DEFAULTS, model.name(), "1")
                .readWithBinaryData(new ByteArrayInputStream(body.toByteArray()), header.length, body.size());
    }

    private static float[] floats(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double[][] gaussian(int rows, int cols, long seed) {
        Random random = new Random(seed);
        double[][] values = new double[rows][cols];
        for (double[] row : values) {
            for (int c = 0; c < cols; c++) {
                row[c] = random.nextGaussian() * 0.3;
            }
        }
        return values;
    }
}
