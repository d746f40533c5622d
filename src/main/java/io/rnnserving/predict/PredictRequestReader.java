package io.rnnserving.predict;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.request.InvalidRequestException;
import io.rnnserving.request.JsonBodyReader;
import io.rnnserving.request.JsonBodyReader.DoubleBuffer;
import io.rnnserving.request.ProblemKind;
import io.rnnserving.request.RequestLimits;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/**
 * Reads a POST /predict body as a stream straight into primitive arrays, checking every number and shape against
 * the served model and reporting the first problem with its JSON pointer.
 */
final class PredictRequestReader {
    static final String FIELDS = "x, lengths, h0, trace, returnState";

    private final RecurrentModel model;
    private final RequestLimits limits;

    PredictRequestReader(RecurrentModel model, RequestLimits limits) {
        this.model = model;
        this.limits = limits;
    }

    PredictRequest read(InputStream body) {
        try (JsonBodyReader json = JsonBodyReader.open(body, limits)) {
            json.next();
            JsonBodyReader.ObjectMembers members = json.members("", "the body must be a JSON object");
            Sequences x = null;
            int[] lengths = null;
            StateInput h0 = null;
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
                        "the field 'x' is missing: give the batch as N sequences of T steps of "
                                + model.inputFeatures() + " features");
            }
            SequenceBatch batch = x.toBatch(lengths);
            Map<String, double[]> initialStates = h0 == null ? Map.of() : h0.resolve(model, batch.samples());
            return new PredictRequest(batch, initialStates, trace, returnState);
        }
    }

    private Sequences readSequences(JsonBodyReader json) {
        int features = model.inputFeatures();
        json.require(JsonToken.START_ARRAY, () -> "/x", "x must be an array of samples");
        DoubleBuffer values = new DoubleBuffer(1024);
        List<Integer> lengths = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            int sample = lengths.size();
            json.require(JsonToken.START_ARRAY, () -> "/x/" + sample, () -> "sample " + sample
                    + " must be an array of timesteps");
            int steps = 0;
            while (json.next() != JsonToken.END_ARRAY) {
                int step = steps;
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
                if (count != features) {
                    throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, "/x/" + sample + "/" + step,
                            "timestep " + step + " of sample " + sample + " has " + count + " features; the model takes "
                                    + features);
                }
                steps++;
                if (steps > limits.maxSteps()) {
                    limits.checkBatch(sample + 1, steps, values.size());
                }
            }
            if (steps == 0) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, "/x/" + sample,
                        "sample " + sample + " has no timesteps");
            }
            lengths.add(steps);
            limits.checkBatch(lengths.size(), steps, values.size());
        }
        if (lengths.isEmpty()) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, "/x", "the batch is empty: x needs at least one sample");
        }
        return new Sequences(values.array(), lengths.stream().mapToInt(Integer::intValue).toArray(), features);
    }

    private int[] readLengths(JsonBodyReader json) {
        json.require(JsonToken.START_ARRAY, () -> "/lengths", "lengths must be an array of positive integers");
        List<Integer> lengths = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            int index = lengths.size();
            lengths.add(json.positiveInt(() -> "/lengths/" + index));
            if (lengths.size() > limits.maxSamples()) {
                limits.checkBatch(lengths.size(), 1, 0);
            }
        }
        return lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    private StateInput readStates(JsonBodyReader json) {
        if (json.current() == JsonToken.START_ARRAY) {
            return new StateInput(readMatrix(json, "/h0"), null);
        }
        JsonBodyReader.ObjectMembers layers = json.members("/h0",
                "h0 must be an N×M array (one recurrent layer) or an object of them keyed by layer name");
        Map<String, Matrix> byLayer = new LinkedHashMap<>();
        while (layers.next()) {
            byLayer.put(layers.name(), readMatrix(json, layers.pointer()));
        }
        return new StateInput(null, byLayer);
    }

    private Matrix readMatrix(JsonBodyReader json, String pointer) {
        json.require(JsonToken.START_ARRAY, () -> pointer, "the state must be an N×M array of numbers");
        DoubleBuffer values = new DoubleBuffer(64);
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
                limits.checkBatch(rows, 1, 0);
            }
        }
        return new Matrix(values.array(), rows, Math.max(columns, 0), pointer);
    }

    /** x as read: samples back to back, each with its own number of steps. */
    private record Sequences(double[] values, int[] stepsPerSample, int features) {

        SequenceBatch toBatch(int @Nullable [] lengths) {
            int samples = stepsPerSample.length;
            if (lengths != null) {
                if (lengths.length != samples) {
                    throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, "/lengths",
                            "lengths has " + lengths.length + " entries but x has " + samples + " samples");
                }
                for (int n = 0; n < samples; n++) {
                    if (lengths[n] > stepsPerSample[n]) {
                        throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, "/lengths/" + n,
                                "sample " + n + " has length " + lengths[n] + " but only " + stepsPerSample[n]
                                        + " timesteps in x");
                    }
                }
            }
            int longest = 0;
            boolean rectangular = true;
            for (int steps : stepsPerSample) {
                rectangular &= steps == stepsPerSample[0];
                longest = Math.max(longest, steps);
            }
            int[] effective = lengths != null ? lengths : stepsPerSample;
            if (rectangular) {
                return new SequenceBatch(values, samples, longest, features, effective.clone());
            }
            // ragged: pad each sample to the longest; padding is never read
            double[] padded = new double[samples * longest * features];
            int from = 0;
            for (int n = 0; n < samples; n++) {
                int count = stepsPerSample[n] * features;
                System.arraycopy(values, from, padded, n * longest * features, count);
                from += count;
            }
            return new SequenceBatch(padded, samples, longest, features, effective.clone());
        }
    }

    private record Matrix(double[] values, int rows, int columns, String pointer) {
    }

    /** h0 as read: one N×M array, or one per layer name; checked against the model once x gives N. */
    private record StateInput(@Nullable Matrix single, @Nullable Map<String, Matrix> byLayer) {

        Map<String, double[]> resolve(RecurrentModel model, int samples) {
            List<RecurrentLayer> recurrent = model.recurrentLayers();
            Map<String, double[]> states = new LinkedHashMap<>();
            if (single != null) {
                if (recurrent.size() != 1) {
                    throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, "/h0",
                            "the model has " + recurrent.size() + " recurrent layers; give h0 as an object keyed by "
                                    + "layer name: " + recurrent.stream().map(RecurrentLayer::name).toList());
                }
                states.put(recurrent.get(0).name(), check(single, recurrent.get(0), samples));
                return states;
            }
            for (Map.Entry<String, Matrix> entry : byLayer.entrySet()) {
                RecurrentLayer layer = recurrent.stream()
                        .filter(l -> l.name().equals(entry.getKey()))
                        .findFirst()
                        .orElseThrow(() -> new InvalidRequestException(ProblemKind.WRONG_SHAPE, entry.getValue().pointer(),
                                "the model has no recurrent layer '" + entry.getKey() + "'; its recurrent layers are "
                                        + recurrent.stream().map(RecurrentLayer::name).toList()));
                states.put(layer.name(), check(entry.getValue(), layer, samples));
            }
            return states;
        }

        private static double[] check(Matrix matrix, RecurrentLayer layer, int samples) {
            if (matrix.rows() != samples || matrix.columns() != layer.units()) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, matrix.pointer(),
                        "the initial state of " + layer.name() + " is " + matrix.rows() + "×" + matrix.columns()
                                + " but must be " + samples + "×" + layer.units() + " (samples × units)");
            }
            return java.util.Arrays.copyOf(matrix.values(), matrix.rows() * matrix.columns());
        }
    }
}
