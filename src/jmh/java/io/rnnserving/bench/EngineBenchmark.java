package io.rnnserving.bench;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.ModelFileReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine against ONNX Runtime (CPU, float32, the same weights as an RNN + Gemm graph) on one batch.
 * Models come from {@code bench/make_models.py}; {@code -Dbench.models=DIR} points elsewhere.
 * Samples/s = samples / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-modules", "jdk.incubator.vector"})
public class EngineBenchmark {

    /** model:samples; "large" is N=256, T=100, D=32, M=256, K=10. */
    @Param({"large:256"})
    public String workload;

    /** ONNX Runtime's intra-op threads; the engine is given the same through its settings. */
    @Param({"2"})
    public int threads;

    /** The engine's precision: float32 (the model's Keras dtype) or float64. */
    @Param({"float32", "float64"})
    public String precision;

    /** The float32 kernel's vector width: auto (the machine's widest), 256 or 512. */
    @Param({"auto"})
    public String vectorBits;

    RecurrentModel model;
    private SequenceBatch batch;
    private float[] floats;
    private long[] shape;
    private OrtEnvironment environment;
    private OrtSession session;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        String[] parts = workload.split(":");
        Path dir = Path.of(System.getProperty("bench.models", "bench/models"));
        model = ModelFileReader.read(dir.resolve(parts[0] + ".json"), null).model()
                .withSettings(new EngineSettings(threads, true, EngineSettings.vectorBits(vectorBits)))
                .withPrecision(Precision.ofDtype(precision));
        int samples = Integer.parseInt(parts[1]);
        int steps = model.declaredSteps();
        int features = model.inputFeatures();
        double[] values = new double[samples * steps * features];
        floats = new float[values.length];
        Random random = new Random(42);
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) random.nextGaussian();
            values[i] = floats[i];
        }
        // in the precision the service's readers hand the model (floats for a float32 model), so no call converts it
        batch = SequenceBatch.rectangular(values, samples, steps, features).in(model.inputPrecision());
        shape = new long[] {samples, steps, features};

        environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        // no busy-waiting between calls: spinning workers would take CPU from whatever runs next (the engine)
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = environment.createSession(dir.resolve(parts[0] + ".onnx").toString(), options);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        session.close();
    }

    @Benchmark
    public double[] engine() {
        return model.predict(batch).output();
    }

    @Benchmark
    public float[][] onnxRuntime() throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(environment, FloatBuffer.wrap(floats), shape);
             OrtSession.Result result = session.run(Map.of("x", x))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
