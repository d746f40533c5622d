package io.rnnserving.predict;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.protocol.json.JsonBodyReader;
import io.rnnserving.engine.Precision;
import io.rnnserving.protocol.json.NumberBuffer;
import io.rnnserving.serving.ModelInput;
import io.rnnserving.serving.ModelInput.StateInput;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import io.rnnserving.serving.WirePointers;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/**
 * Decodes a POST /predict body as a stream straight into primitive arrays, reporting the first problem of its JSON
 * with its pointer; the model's rules are the binder's.
 */
record PredictRequestReader(RequestBinder binder, RequestLimits limits) {
    static final String FIELDS = "x, lengths, h0, trace, returnState";
    static final WirePointers POINTERS = WirePointers.nested("/x", "/lengths");

    /**
     * @param contentLength the body's declared length, -1 when unknown: with it, x's storage is sized once from its
     *                      first sample instead of doubling as it fills
     */
    PredictRequest read(InputStream body, long contentLength) {
        try (JsonBodyReader json = JsonBodyReader.open(body, contentLength, limits)) {
            JsonBodyReader.ObjectMembers members = json.bodyMembers();
            ModelInput.Ragged x = null;
            int[] lengths = null;
            List<StateInput> h0 = List.of();
            boolean trace = false;
            boolean returnState = false;
            while (members.next()) {
                switch (members.name()) {
                    case "x" -> x = readSequences(json);
                    case "lengths" -> lengths = readLengths(json);
                    case "h0" -> h0 = readStates(json);
                    case "trace" -> trace = json.bool(members.pointer());
                    case "returnState" -> returnState = json.bool(members.pointer());
                    default -> throw members.unknown("", FIELDS);
                }
            }
            json.expectEnd();
            if (x == null) {
                throw new InvalidRequestException(ProblemKind.MISSING_FIELD, "/x",
                        "the field 'x' is missing: give the batch as N sequences of T " + (binder.takesTokenIds()
                                ? "token ids" : "steps of " + binder.features() + " features"));
            }
            return new PredictRequest(new ModelInput(x, lengths, h0, trace), returnState);
        }
    }

    private ModelInput.Ragged readSequences(JsonBodyReader json) {
        int features = binder.features();
        boolean ids = binder.takesTokenIds();
        json.require(JsonToken.START_ARRAY, () -> "/x", "x must be an array of samples");
        long start = json.bytesRead();
        NumberBuffer values = new NumberBuffer(binder.inputPrecision(), 1024);
        List<Integer> stepsPerSample = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            int sample = stepsPerSample.size();
            json.require(JsonToken.START_ARRAY, () -> "/x/" + sample, () -> "sample " + sample
                    + " must be an array of timesteps");
            int steps = 0;
            while (json.next() != JsonToken.END_ARRAY) {
                int step = steps;
                if (ids) {
                    // one token id a step; the binder checks that it is one of the vocabulary's
                    values.add(json.number(() -> "/x/" + sample + "/" + step));
                } else {
                    json.require(JsonToken.START_ARRAY, () -> "/x/" + sample + "/" + step, () -> "timestep " + step
                            + " of sample " + sample + " must be an array of " + features + " numbers");
                    int count = 0;
                    while (json.next() != JsonToken.END_ARRAY) {
                        int feature = count;
                        double value = json.number(() -> "/x/" + sample + "/" + step + "/" + feature);
                        if (count < features) {
                            values.add(value);
                        }
                        count++;
                    }
                    binder.checkFeatures(count, sample, step, POINTERS);
                }
                steps++;
                if (steps > limits.maxSteps()) {
                    // refused before the next sample is read, but with this sample's real length: its other
                    // timesteps are counted, not stored
                    while (json.next() != JsonToken.END_ARRAY) {
                        json.skipValue();
                        steps++;
                    }
                    limits.checkBatch(sample + 1, steps, values.size(), "/x");
                }
            }
            stepsPerSample.add(steps);
            // refused while streaming, before a huge body is read to its end
            limits.checkBatch(stepsPerSample.size(), steps, values.size(), "/x");
            values.reserveForRest(json.bytesRead() - start, json.bytesLeft(), limits.maxValues());
        }
        return new ModelInput.Ragged(values.values(), stepsPerSample.stream().mapToInt(Integer::intValue).toArray(),
                features);
    }

    private int[] readLengths(JsonBodyReader json) {
        json.require(JsonToken.START_ARRAY, () -> "/lengths", "lengths must be an array of positive integers");
        List<Integer> lengths = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            int index = lengths.size();
            lengths.add(json.positiveInt(() -> "/lengths/" + index));
            if (lengths.size() > limits.maxSamples()) {
                limits.checkBatch(lengths.size(), 1, 0, "/x");
            }
        }
        return lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * h0: one N×M array for the only recurrent layer, or an object keyed by layer name (or, for a model with one
     * recurrent layer, by state part) whose values are N×M arrays or, for a layer of several parts, objects of
     * them keyed by part; the binder says which names the model has.
     */
    private List<StateInput> readStates(JsonBodyReader json) {
        if (json.current() == JsonToken.START_ARRAY) {
            return List.of(readMatrix(json, null, null, "/h0", "/h0"));
        }
        JsonBodyReader.ObjectMembers layers = json.members("/h0", "h0 must be an N×M array (one recurrent layer) "
                + "or an object keyed by layer name, of N×M arrays or of objects of them keyed by state part");
        List<StateInput> states = new ArrayList<>();
        while (layers.next()) {
            if (json.current() != JsonToken.START_OBJECT) {
                states.add(readMatrix(json, layers.name(), null, layers.pointer(), "/h0"));
                continue;
            }
            String layer = layers.name();
            String layerPointer = layers.pointer();
            JsonBodyReader.ObjectMembers parts = json.members(layerPointer, "the state of a layer must be an N×M array "
                    + "or an object of them keyed by state part");
            while (parts.next()) {
                states.add(readMatrix(json, layer, parts.name(), parts.pointer(), layerPointer));
            }
        }
        return states;
    }

    private StateInput readMatrix(JsonBodyReader json, @Nullable String layer, @Nullable String part, String pointer,
                                  String parentPointer) {
        json.require(JsonToken.START_ARRAY, () -> pointer, "the state must be an N×M array of numbers");
        // initial states are small, and the engine takes them as doubles
        NumberBuffer values = new NumberBuffer(Precision.FLOAT64, 64);
        int rows = 0;
        int columns = -1;
        while (json.next() != JsonToken.END_ARRAY) {
            int row = rows;
            json.require(JsonToken.START_ARRAY, () -> pointer + "/" + row,
                    () -> "row " + row + " must be an array of numbers");
            int count = 0;
            while (json.next() != JsonToken.END_ARRAY) {
                int column = count;
                values.add(json.number(() -> pointer + "/" + row + "/" + column));
                count++;
            }
            if (columns >= 0 && count != columns) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointer + "/" + row,
                        "row " + row + " has " + count + " values; row 0 has " + columns);
            }
            columns = count;
            rows++;
            if (rows > limits.maxSamples()) {
                limits.checkBatch(rows, 1, 0, "/x");
            }
        }
        return new StateInput(layer, part, values.values().toDoubles(), new int[] {rows, Math.max(columns, 0)}, pointer,
                parentPointer);
    }
}
