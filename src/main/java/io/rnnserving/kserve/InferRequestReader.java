package io.rnnserving.kserve;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.protocol.json.JsonBodyReader;
import io.rnnserving.protocol.json.NumberArray;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.ModelInput;
import io.rnnserving.serving.ModelInput.StateInput;
import io.rnnserving.serving.RequestLimits;
import io.rnnserving.serving.WirePointers;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/**
 * Decodes an infer request body as a stream, tensor data straight into primitive arrays (flat or nested JSON, or the
 * binary tensor data extension's raw bytes), and checks every tensor against its shape and its data type.
 */
record InferRequestReader(RecurrentModel model, RequestLimits limits, String modelName, String version) {
    private static final String FIELDS = "id, model_name, model_version, parameters, inputs, outputs";
    private static final String INPUT_FIELDS = "name, shape, datatype, parameters, data";

    /** Reads a body that is all JSON. */
    InferRequest read(InputStream body) {
        return read(body, -1);
    }

    /**
     * Reads a body that is all JSON.
     *
     * @param contentLength the body's declared length, -1 when unknown: with it, a tensor's data whose shape comes
     *                      first is sized from that shape (no more than the body could hold) instead of doubling
     */
    InferRequest read(InputStream body, long contentLength) {
        return resolve(readJson(body, contentLength, false));
    }

    /**
     * Reads a body of the binary tensor data extension: {@code jsonLength} bytes of JSON, then the bytes of every
     * input whose parameters give {@code binary_data_size}, in the order the JSON lists the inputs.
     *
     * @param contentLength the body's declared length, -1 when it declares none (chunked)
     */
    InferRequest readWithBinaryData(InputStream body, long jsonLength, long contentLength) {
        RequestJson request;
        try {
            request = readJson(BinaryTensorData.jsonPart(body, jsonLength), jsonLength, true);
        } catch (InvalidRequestException e) {
            if (e.kind() != ProblemKind.MALFORMED_JSON) {
                throw e;
            }
            // the JSON may be fine and the header's length wrong: say where the JSON was taken to end
            throw new InvalidRequestException(e.kind(), e.pointer(), e.detail() + "; the JSON is the first " + jsonLength
                    + " bytes of the body, as " + BinaryTensorData.HEADER + " gives");
        }
        long binaryBytes = request.inputs().values().stream().mapToLong(t -> Math.max(0, t.binaryDataSize())).sum();
        checkBodyLength(jsonLength, binaryBytes, contentLength);
        request.inputs().replaceAll((name, tensor) -> {
            if (tensor.data() != null) {
                return tensor;
            }
            int count = (int) (tensor.binaryDataSize() / BinaryTensorData.byteSize(tensor.datatype()));
            InputValues values = BinaryTensorData.read(body, tensor.datatype(), count, name, tensor.pointer());
            return tensor.withData(new NumberArray(values, new int[] {count}));
        });
        BinaryTensorData.expectEnd(body, binaryBytes);
        return resolve(request);
    }

    private RequestJson readJson(InputStream body, long declaredLength, boolean binary) {
        String id = null;
        Map<String, InputTensor> inputs = null;
        List<OutputByName> outputs = null;
        Boolean binaryDataOutput = null;
        try (JsonBodyReader json = JsonBodyReader.open(body, declaredLength, limits)) {
            JsonBodyReader.ObjectMembers members = json.bodyMembers();
            while (members.next()) {
                String pointer = members.pointer();
                switch (members.name()) {
                    case "id" -> id = json.string(pointer);
                    // the KServe SDK's InferRequest.to_rest() names the model in the body as well as in the path
                    case "model_name" -> requireServedName(json.string(pointer), pointer);
                    case "model_version" -> requireServedVersion(json.string(pointer), pointer);
                    case "parameters" -> binaryDataOutput = requestParameters(json, pointer);
                    case "inputs" -> inputs = readInputs(json, binary);
                    case "outputs" -> outputs = readOutputs(json);
                    default -> throw members.unknown("", FIELDS);
                }
            }
            json.expectEnd();
        }
        if (inputs == null) {
            throw new InvalidRequestException(ProblemKind.MISSING_FIELD, "/inputs",
                    "the field 'inputs' is missing: give the input tensor 'x' of shape [N, T, "
                            + model.inputFeatures() + "]");
        }
        if (outputs == null) {
            outputs = List.of(new OutputByName(Tensors.YHAT, null));
        }
        // an output's own binary_data wins over the request's binary_data_output, as the extension says
        boolean allBinary = Boolean.TRUE.equals(binaryDataOutput);
        List<RequestedOutput> resolved = outputs.stream()
                .map(output -> RequestedOutput.of(model, output.name(),
                        output.binaryData() == null ? allBinary : output.binaryData()))
                .toList();
        return new RequestJson(id, inputs, resolved);
    }

    /** Refuses a body whose binary data does not add up to its length or to more than the limit. */
    private void checkBodyLength(long jsonLength, long binaryBytes, long contentLength) {
        long total = jsonLength + binaryBytes;
        if (contentLength >= 0 && total != contentLength) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "the body is " + contentLength
                    + " bytes, but its " + jsonLength + " bytes of JSON and the " + binaryBytes
                    + " bytes of binary data its inputs' binary_data_size add up to make " + total + ": "
                    + (total < contentLength ? bytes(contentLength - total) + " left over after the last tensor"
                            : bytes(total - contentLength) + " missing"));
        }
        if (total > limits.maxBodyBytes()) {
            throw new InvalidRequestException(ProblemKind.BODY_TOO_LARGE, null, "the request body is " + total
                    + " bytes (" + jsonLength + " of JSON, " + binaryBytes + " of binary data); the limit is "
                    + limits.maxBodyBytes());
        }
    }

    private static String bytes(long count) {
        return count == 1 ? "1 byte is" : count + " bytes are";
    }

    /** Checks each tensor against its own shape and datatype; the binder checks them against the model. */
    private InferRequest resolve(RequestJson request) {
        Map<String, InputTensor> inputs = request.inputs();
        InputTensor x = inputs.get(Tensors.X);
        if (x == null) {
            throw new InvalidRequestException(ProblemKind.MISSING_FIELD, "/inputs",
                    "the input tensor 'x' is missing; the inputs are " + inputNames());
        }
        boolean single = model.embedding().isPresent() ? requireIds(x) : requireFloat(x);
        requireCount(x);
        InputTensor lengths = inputs.get(Tensors.LENGTHS);
        List<StateInput> states = new ArrayList<>();
        for (InputTensor tensor : inputs.values()) {
            if (isStateInput(tensor.name())) {
                requireFloat(tensor);
                requireCount(tensor);
                states.add(stateInput(tensor));
            }
        }
        boolean trace = request.outputs().stream().anyMatch(output -> output.kind() == RequestedOutput.Kind.HIDDEN);
        ModelInput input = new ModelInput(new ModelInput.Tensor(x.data().values(), x.shape()),
                lengths == null ? null : readLengths(lengths), states, trace);
        int steps = x.shape().length > 1 ? x.shape()[1] : 1;
        return new InferRequest(request.id(), input, new TensorPointers(x.pointer(), lengths == null ? "/inputs"
                : lengths.pointer(), steps, x.data().shape().length > 1), request.outputs(), single);
    }

    private static boolean isStateInput(String name) {
        return name.equals(Tensors.H0) || name.startsWith(Tensors.H0 + "/");
    }

    /** {@code h0}, {@code h0/<layer>} or {@code h0/<layer>/<part>} as the binder takes it; the binder checks the names. */
    private static StateInput stateInput(InputTensor tensor) {
        String[] names = tensor.name().split("/", 3);
        String layer = names.length > 1 ? names[1] : null;
        String part = names.length > 2 ? names[2] : null;
        return new StateInput(layer, part, tensor.data().values().toDoubles(), tensor.shape(), tensor.pointer() + "/shape",
                tensor.pointer() + "/name");
    }

    private Map<String, InputTensor> readInputs(JsonBodyReader json, boolean binary) {
        json.require(JsonToken.START_ARRAY, () -> "/inputs", "inputs must be an array of tensors");
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        List<String> known = inputNames();
        while (json.next() != JsonToken.END_ARRAY) {
            String pointer = "/inputs/" + inputs.size();
            InputTensor tensor = readInput(json, pointer, binary);
            if (!known.contains(tensor.name()) && !isStateInput(tensor.name())) {
                throw new InvalidRequestException(ProblemKind.UNKNOWN_FIELD, pointer + "/name",
                        "the model has no input '" + tensor.name() + "'; its inputs are " + known);
            }
            if (inputs.put(tensor.name(), tensor) != null) {
                throw new InvalidRequestException(ProblemKind.DUPLICATE_FIELD, pointer + "/name",
                        "the input '" + tensor.name() + "' appears twice");
            }
        }
        return inputs;
    }

    private InputTensor readInput(JsonBodyReader json, String pointer, boolean binary) {
        JsonBodyReader.ObjectMembers members = json.members(pointer, "each input must be an object with " + INPUT_FIELDS);
        String name = null;
        int[] shape = null;
        String datatype = null;
        NumberArray data = null;
        long binaryDataSize = -1;
        while (members.next()) {
            String at = members.pointer();
            switch (members.name()) {
                case "name" -> name = json.string(at);
                case "shape" -> shape = readShape(json, at);
                case "datatype" -> datatype = json.string(at);
                case "parameters" -> {
                    // without the header the body is all JSON, and binary_data_size is not looked at
                    long size = binaryDataSize(json, at);
                    binaryDataSize = binary ? size : -1;
                }
                // FP32 data for a float32 model's features is read as floats; anything else as doubles, which
                // keeps lengths and token ids as sent (the binder converts x when it is in the other precision)
                case "data" -> data = NumberArray.read(json, at, limits, Tensors.FP32.equals(datatype)
                        && model.inputPrecision() == Precision.FLOAT32 ? Precision.FLOAT32 : Precision.FLOAT64,
                        shape == null ? -1 : count(shape));
                default -> throw members.unknown(" in an input tensor", INPUT_FIELDS);
            }
        }
        if (name == null || shape == null || datatype == null || (data == null && binaryDataSize < 0)) {
            String field = name == null ? "name" : shape == null ? "shape" : datatype == null ? "datatype" : "data";
            throw new InvalidRequestException(ProblemKind.MISSING_FIELD, pointer + "/" + field,
                    "the input tensor has no '" + field + "'; an input needs name, shape, datatype and data (or "
                            + "parameters.binary_data_size, with the header " + BinaryTensorData.HEADER + ")");
        }
        if (binaryDataSize >= 0) {
            if (data != null) {
                throw new InvalidRequestException(ProblemKind.BAD_REQUEST, pointer + "/parameters/binary_data_size",
                        "input '" + name + "' has both data and parameters.binary_data_size; give one of them");
            }
            checkBinaryDataSize(name, shape, datatype, binaryDataSize, pointer);
        }
        return new InputTensor(name, shape, datatype, data, binaryDataSize, pointer);
    }

    /** The numbers a shape holds, or more than an int when it overflows one. */
    private static long count(int[] shape) {
        long count = 1;
        for (int length : shape) {
            count = Math.min(count * length, Integer.MAX_VALUE + 1L);
        }
        return count;
    }

    /** Requires a datatype read as binary data, a size within the limits, and exactly the bytes the shape takes. */
    private void checkBinaryDataSize(String name, int[] shape, String datatype, long size, String pointer) {
        int valueSize = BinaryTensorData.byteSize(datatype);
        if (valueSize == 0) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer + "/datatype",
                    "input '" + name + "' has datatype " + datatype + ", which is not read as binary data here; "
                            + "binary inputs are " + BinaryTensorData.DATATYPES);
        }
        long count = 1;
        for (int length : shape) {
            count *= length;
            // checked axis by axis, so that the product cannot overflow
            if (count > limits.maxValues()) {
                throw new InvalidRequestException(ProblemKind.BATCH_TOO_LARGE, pointer + "/shape",
                        "input '" + name + "' has shape " + Arrays.toString(shape) + ", more than " + limits.maxValues()
                                + " numbers, the limit");
            }
        }
        if (size != count * valueSize) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointer + "/parameters/binary_data_size",
                    "input '" + name + "' has binary_data_size " + size + " but its shape " + Arrays.toString(shape)
                            + " of " + datatype + " takes " + count * valueSize + " bytes (" + count + " values of "
                            + valueSize + " bytes)");
        }
    }

    /**
     * The input parameter binary_data_size, or -1 when not given; Triton's shared memory is refused by name, as
     * the data would be missing, and other parameters are ignored.
     */
    private static long binaryDataSize(JsonBodyReader json, String pointer) {
        JsonBodyReader.ObjectMembers members = json.members(pointer, "parameters must be an object");
        long size = -1;
        while (members.next()) {
            if (members.name().equals("binary_data_size")) {
                size = json.nonNegativeLong(members.pointer());
            } else if (members.name().startsWith("shared_memory_")) {
                throw new InvalidRequestException(ProblemKind.BAD_REQUEST, members.pointer(), "the parameter '"
                        + members.name() + "' is not served: this server has no shared memory; send the data in "
                        + "the body, as JSON or as binary tensor data");
            } else {
                json.skipValue();
            }
        }
        return size;
    }

    /**
     * The request's parameters: binary_data_output is read; priority, timeout and others are accepted and have no
     * effect (requests are served in arrival order); the parameters of Triton's sequence batcher are refused by name,
     * as this server keeps no state between requests.
     */
    private static @Nullable Boolean requestParameters(JsonBodyReader json, String pointer) {
        JsonBodyReader.ObjectMembers members = json.members(pointer, "parameters must be an object");
        Boolean binaryDataOutput = null;
        while (members.next()) {
            switch (members.name()) {
                case "binary_data_output" -> binaryDataOutput = json.bool(members.pointer());
                case "sequence_id", "sequence_start", "sequence_end" -> throw new InvalidRequestException(
                        ProblemKind.BAD_REQUEST, members.pointer(), "the parameter '" + members.name()
                                + "' is not served: this server keeps no sequence state between requests; carry the "
                                + "state yourself with the inputs h0 and the outputs state");
                default -> json.skipValue();
            }
        }
        return binaryDataOutput;
    }

    private void requireServedName(String name, String pointer) {
        if (!name.equals(modelName)) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, pointer, "model_name '" + name
                    + "' is not the model of the path, '" + modelName + "'");
        }
    }

    private void requireServedVersion(String asked, String pointer) {
        if (!asked.isEmpty() && !asked.equals(version)) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, pointer, "model_version '" + asked
                    + "' is not the version that serves this request, '" + version + "' (the path's, or the "
                    + "highest available when the path names none)");
        }
    }

    /**
     * A requested output's binary_data, or null when not given; Triton's classification and shared memory would
     * change what the output is, so they are refused by name; other parameters are ignored.
     */
    private static @Nullable Boolean outputParameters(JsonBodyReader json, String pointer) {
        JsonBodyReader.ObjectMembers members = json.members(pointer, "parameters must be an object");
        Boolean value = null;
        while (members.next()) {
            if (members.name().equals("binary_data")) {
                value = json.bool(members.pointer());
            } else if (members.name().equals("classification") || members.name().startsWith("shared_memory_")) {
                throw new InvalidRequestException(ProblemKind.BAD_REQUEST, members.pointer(), "the output parameter '"
                        + members.name() + "' is not served: outputs are the model's tensors, in the body");
            } else {
                json.skipValue();
            }
        }
        return value;
    }

    private int[] readShape(JsonBodyReader json, String pointer) {
        json.require(JsonToken.START_ARRAY, () -> pointer, "shape must be an array of positive integers");
        List<Integer> shape = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            int axis = shape.size();
            shape.add(json.positiveInt(() -> pointer + "/" + axis));
            if (shape.size() > 8) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointer, "shape has more than 8 axes");
            }
        }
        return shape.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<OutputByName> readOutputs(JsonBodyReader json) {
        json.require(JsonToken.START_ARRAY, () -> "/outputs", "outputs must be an array of {\"name\": ...} objects");
        List<String> known = Tensors.outputs(model);
        List<OutputByName> outputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            String pointer = "/outputs/" + names.size();
            JsonBodyReader.ObjectMembers members = json.members(pointer,
                    "each requested output must be an object with a name");
            String name = null;
            Boolean binaryData = null;
            while (members.next()) {
                switch (members.name()) {
                    case "name" -> name = json.string(members.pointer());
                    case "parameters" -> binaryData = outputParameters(json, members.pointer());
                    default -> throw members.unknown(" in a requested output", "name, parameters");
                }
            }
            if (name == null) {
                throw new InvalidRequestException(ProblemKind.MISSING_FIELD, pointer + "/name",
                        "a requested output needs a name: one of " + known);
            }
            if (!known.contains(name)) {
                String hint = name.equals(Tensors.STATE)
                        ? "; a model with several recurrent layers gives each layer's state as state/<layer name>" : "";
                throw new InvalidRequestException(ProblemKind.UNKNOWN_FIELD, pointer + "/name",
                        "the model has no output '" + name + "'; its outputs are " + known + hint);
            }
            if (names.contains(name)) {
                throw new InvalidRequestException(ProblemKind.DUPLICATE_FIELD, pointer + "/name",
                        "the output '" + name + "' is asked for twice");
            }
            names.add(name);
            outputs.add(new OutputByName(name, binaryData));
        }
        return outputs;
    }

    /** The lengths as whole numbers; the binder checks them against x. */
    private static int[] readLengths(InputTensor tensor) {
        if (!tensor.datatype().equals(Tensors.INT32) && !tensor.datatype().equals(Tensors.INT64)) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, tensor.pointer() + "/datatype",
                    "input 'lengths' has datatype " + tensor.datatype() + "; it must be INT32 or INT64");
        }
        if (tensor.shape().length != 1) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, tensor.pointer() + "/shape",
                    "input 'lengths' has shape " + Arrays.toString(tensor.shape()) + " but must be [N], one per sample");
        }
        requireCount(tensor);
        int[] lengths = new int[tensor.shape()[0]];
        for (int n = 0; n < lengths.length; n++) {
            double value = tensor.data().values().get(n);
            if (value != Math.rint(value)) {
                throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, tensor.pointer() + "/data/" + n,
                        "length " + value + " of sample " + n + " is not a whole number");
            }
            // beyond int, a length is too long for any sample; the binder says so
            lengths[n] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
        }
        return lengths;
    }

    /** Token ids: INT32 or INT64 (or floats holding whole numbers); says whether the answer is FP32. */
    private static boolean requireIds(InputTensor tensor) {
        String datatype = tensor.datatype();
        if (!datatype.equals(Tensors.INT32) && !datatype.equals(Tensors.INT64) && !datatype.equals(Tensors.FP32)
                && !datatype.equals(Tensors.FP64)) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, tensor.pointer() + "/datatype",
                    "input '" + tensor.name() + "' has datatype " + datatype + "; the model takes token ids, INT32 or "
                            + "INT64");
        }
        return datatype.equals(Tensors.FP32);
    }

    /** Requires FP32 or FP64 and says whether it was FP32. */
    private static boolean requireFloat(InputTensor tensor) {
        if (!tensor.datatype().equals(Tensors.FP32) && !tensor.datatype().equals(Tensors.FP64)) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, tensor.pointer() + "/datatype",
                    "input '" + tensor.name() + "' has datatype " + tensor.datatype() + "; it must be FP32 or FP64");
        }
        return tensor.datatype().equals(Tensors.FP32);
    }

    private static void requireCount(InputTensor tensor) {
        long expected = 1;
        for (int length : tensor.shape()) {
            expected *= length;
        }
        int[] nested = tensor.data().shape();
        if (tensor.data().size() != expected) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, tensor.pointer() + "/data",
                    "input '" + tensor.name() + "' has " + tensor.data().size() + " numbers in data but its shape "
                            + Arrays.toString(tensor.shape()) + " needs " + expected);
        }
        if (nested.length > 1 && !Arrays.equals(nested, tensor.shape())) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, tensor.pointer() + "/data",
                    "input '" + tensor.name() + "' has data nested as " + Arrays.toString(nested) + " but its shape is "
                            + Arrays.toString(tensor.shape()));
        }
    }

    private List<String> inputNames() {
        List<String> names = new ArrayList<>();
        names.add(Tensors.X);
        Tensors.stateInputs(model).forEach(tensor -> names.add(tensor.name()));
        names.add(Tensors.LENGTHS);
        return names;
    }


    /**
     * One input tensor as read; {@code data} is not yet checked against {@code shape}.
     *
     * @param data           null until its binary data is read
     * @param binaryDataSize the bytes of binary data that follow the JSON for it, -1 when its data is JSON
     */
    private record InputTensor(String name, int[] shape, String datatype, @Nullable NumberArray data,
                               long binaryDataSize, String pointer) {
        InputTensor withData(NumberArray values) {
            return new InputTensor(name, shape, datatype, values, binaryDataSize, pointer);
        }
    }

    /** A requested output as named; {@code binaryData} is its own parameter, null when it leaves it to the request. */
    private record OutputByName(String name, @Nullable Boolean binaryData) {
    }

    /** The JSON of a request, its binary data read into its inputs' data when it has some. */
    private record RequestJson(@Nullable String id, Map<String, InputTensor> inputs, List<RequestedOutput> outputs) {
    }

    /** Where the model input's places are in an infer request: the shapes and data of its tensors. */
    private record TensorPointers(String xTensor, String lengthsTensor, int steps, boolean nested)
            implements WirePointers {
        @Override
        public String x() {
            return xTensor + "/shape";
        }

        /** The value in x's data, nested as sent or flat row-major. */
        @Override
        public String value(int sample, int step) {
            return xTensor + "/data/" + (nested ? sample + "/" + step : Integer.toString(sample * steps + step));
        }

        @Override
        public String lengths() {
            return lengthsTensor + "/shape";
        }

        @Override
        public String length(int sample) {
            return lengthsTensor + "/data/" + sample;
        }
    }
}
