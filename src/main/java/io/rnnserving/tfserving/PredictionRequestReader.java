package io.rnnserving.tfserving;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.protocol.json.JsonBodyReader;
import io.rnnserving.engine.Precision;
import io.rnnserving.protocol.json.NumberBuffer;
import io.rnnserving.protocol.json.NumberArray;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.ModelInput;
import io.rnnserving.serving.RequestLimits;
import io.rnnserving.serving.WirePointers;
import tools.jackson.core.JsonToken;

/**
 * Decodes a predict body as a stream straight into primitive arrays: {@code instances} (row format, each sample
 * T×D or {@code {"x": T×D}}) or {@code inputs} (columnar, N×T×D or {@code {"x": N×T×D}}). As in TF Serving, all
 * samples of one request have the same shape.
 */
record PredictionRequestReader(int features, Precision precision, RequestLimits limits) {
    static final String INPUT = "x";
    static final String SIGNATURE = "serving_default";

    /**
     * A decoded predict body.
     *
     * @param at   where x was given: {@code /instances} or {@code /inputs}
     * @param rows it came as instances, so the answer is predictions
     */
    record PredictionRequest(ModelInput input, WirePointers at, boolean rows) {
    }

    /**
     * @param contentLength the body's declared length, -1 when unknown: with it, x's storage is sized from its first
     *                      samples instead of doubling as it fills
     */
    PredictionRequest read(InputStream body, long contentLength) {
        NumberArray x = null;
        String format = null;
        try (JsonBodyReader json = JsonBodyReader.open(body, contentLength, limits)) {
            JsonBodyReader.ObjectMembers members = json.bodyMembers();
            while (members.next()) {
                String pointer = members.pointer();
                switch (members.name()) {
                    case "signature_name" -> {
                        String signature = json.string(pointer);
                        if (!signature.isEmpty() && !signature.equals(SIGNATURE)) {
                            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, pointer, "Serving signature name: \""
                                    + signature + "\" not found in signature def; the model has \"" + SIGNATURE + "\"");
                        }
                    }
                    case "instances", "inputs" -> {
                        if (format != null) {
                            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, pointer,
                                    "give either instances (row format) or inputs (columnar format), not both");
                        }
                        format = members.name();
                        x = format.equals("instances") ? readInstances(json) : readInputs(json);
                    }
                    default -> throw members.unknown("", "signature_name, instances, inputs");
                }
            }
            json.expectEnd();
        }
        if (x == null) {
            throw new InvalidRequestException(ProblemKind.MISSING_FIELD, "",
                    "the body needs instances (a list of samples, each T×" + features
                            + ") or inputs (N×T×" + features + ")");
        }
        ModelInput input = new ModelInput(new ModelInput.Tensor(x.values(), x.shape()), null, List.of(), false);
        return new PredictionRequest(input, WirePointers.nested("/" + format, "/" + format),
                format.equals("instances"));
    }

    private NumberArray readInstances(JsonBodyReader json) {
        json.require(JsonToken.START_ARRAY, () -> "/instances", "instances must be a list of samples");
        long start = json.bytesRead();
        json.next();
        if (json.current() != JsonToken.START_OBJECT) {
            return NumberArray.readOpened(json, "/instances", limits, precision, -1, start);
        }
        // a list of {"x": T×D} objects, one per sample
        NumberBuffer values = new NumberBuffer(precision, 1024);
        int[] sampleShape = null;
        int samples = 0;
        do {
            String pointer = "/instances/" + samples;
            json.require(JsonToken.START_OBJECT, () -> pointer, "every instance must be an object like the first");
            NumberArray sample = readNamedInput(json, pointer, sampleShape == null ? 1024 : values.size() / samples);
            if (sampleShape != null && !Arrays.equals(sampleShape, sample.shape())) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointer + "/" + INPUT,
                        "instance " + samples + " has shape " + Arrays.toString(sample.shape()) + " but instance 0 has "
                                + Arrays.toString(sampleShape) + "; all instances must have the same shape");
            }
            sampleShape = sample.shape();
            for (int i = 0; i < sample.size(); i++) {
                values.add(sample.values().get(i));
            }
            values.reserveForRest(json.bytesRead() - start, json.bytesLeft(), limits.maxValues());
            if (values.size() > limits.maxValues()) {
                limits.checkBatch(samples + 1, 1, values.size(), pointer);
            }
            samples++;
        } while (json.next() != JsonToken.END_ARRAY);
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = samples;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return new NumberArray(values.values(), shape);
    }

    private NumberArray readInputs(JsonBodyReader json) {
        if (json.current() == JsonToken.START_OBJECT) {
            return readNamedInput(json, "/inputs", -1);
        }
        return NumberArray.read(json, "/inputs", limits, precision, -1);
    }

    /**
     * An object with the one named input, {@code {"x": ...}}.
     *
     * @param expected the numbers it should hold, -1 when it is the rest of the body ({@link NumberArray#read})
     */
    private NumberArray readNamedInput(JsonBodyReader json, String pointer, long expected) {
        JsonBodyReader.ObjectMembers members = json.members(pointer, "the input must be an object like {\"x\": ...}");
        NumberArray x = null;
        while (members.next()) {
            if (!members.name().equals(INPUT)) {
                throw new InvalidRequestException(ProblemKind.UNKNOWN_FIELD, members.pointer(),
                        "the model has no input '" + members.name() + "'; its only input is '" + INPUT + "'");
            }
            x = NumberArray.read(json, members.pointer(), limits, precision, expected);
        }
        if (x == null) {
            throw new InvalidRequestException(ProblemKind.MISSING_FIELD, pointer + "/" + INPUT,
                    "the input '" + INPUT + "' is missing");
        }
        return x;
    }
}
