package io.rnnserving.predict;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.rnnserving.protocol.json.AnswerNumbers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The /predict body reader against plain Jackson data binding of the same ~16 MB body (N=256, T=100, D=32),
 * into {@code double[][][]} and into boxed lists. Run with {@code -prof gc} for bytes allocated per request;
 * MB/s = body bytes / (ms/op). The write benchmarks write the same numbers back as an answer of a float32 and of a
 * float64 model. Bodies come from {@code bench/make_bodies.py} ({@code -Dbench.bodies=DIR}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ParserBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record PrimitiveBody(double[][][] x) {
    }

    record BoxedBody(java.util.List<java.util.List<java.util.List<Double>>> x) {
    }

    /** The body's numbers as an answer of a float32 or a float64 model, written as the service writes answers. */
    record Answer(@JsonSerialize(using = AnswerNumbers.class) double[][][] x, @JsonIgnore boolean float32)
            implements AnswerNumbers.InPrecision {
    }

    private byte[] body;
    private RecurrentModel model;
    private Answer float32Answer;
    private Answer float64Answer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        body = Files.readAllBytes(Path.of(System.getProperty("bench.bodies", "target/bench/bodies"), "large.json"));
        model = ModelFileReader.read(Path.of(System.getProperty("bench.models", "bench/models"), "large.json"), null)
                .model();
        double[][][] x = JSON.readValue(body, PrimitiveBody.class).x();
        float32Answer = new Answer(x, true);
        float64Answer = new Answer(x, false);
    }

    @Benchmark
    public PredictRequest streamingReader() {
        return new PredictRequestReader(new RequestBinder(model, RequestLimits.DEFAULTS), RequestLimits.DEFAULTS)
                .read(new ByteArrayInputStream(body), body.length);
    }

    @Benchmark
    public PrimitiveBody jacksonPrimitiveArrays() {
        return JSON.readValue(body, PrimitiveBody.class);
    }

    @Benchmark
    public BoxedBody jacksonBoxedLists() {
        return JSON.readValue(body, BoxedBody.class);
    }

    /** Writing the same numbers as a float32 model's answer: shortest float32 text (MB/s of the JSON written). */
    @Benchmark
    public byte[] writeFloat32Answer() {
        return JSON.writeValueAsBytes(float32Answer);
    }

    /** As a float64 model's answer, as Jackson writes doubles. */
    @Benchmark
    public byte[] writeFloat64Answer() {
        return JSON.writeValueAsBytes(float64Answer);
    }
}
