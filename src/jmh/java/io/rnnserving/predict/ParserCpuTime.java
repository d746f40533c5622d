package io.rnnserving.predict;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import tools.jackson.databind.json.JsonMapper;

/**
 * The /predict reader and Jackson data binding on the large body, timed in the reading thread's CPU time (best of
 * 25 each, alternating twice): on a shared machine JMH's wall-clock times move with the other jobs, CPU time much
 * less. Run as ParserBenchmark, with {@code -Dbench.bodies} and {@code -Dbench.models}.
 */
public final class ParserCpuTime {
    private ParserCpuTime() {
    }

    record PrimitiveBody(double[][][] x) {
    }

    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(System.getProperty("bench.bodies", "target/bench/bodies"),
                "large.json"));
        RecurrentModel model = ModelFileReader.read(Path.of(System.getProperty("bench.models", "bench/models"),
                "large.json"), null).model();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        JsonMapper json = JsonMapper.builder().build();
        for (String reader : new String[] {"predict-reader", "jackson-binding", "predict-reader", "jackson-binding"}) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 25; i++) {
                long start = threads.getCurrentThreadCpuTime();
                Object read = reader.equals("predict-reader")
                        ? new PredictRequestReader(new RequestBinder(model, RequestLimits.DEFAULTS),
                                RequestLimits.DEFAULTS).read(new ByteArrayInputStream(body), body.length)
                        : json.readValue(body, PrimitiveBody.class);
                best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
                if (read == null) {
                    throw new IllegalStateException("nothing read");
                }
            }
            System.out.printf("{\"what\": \"%s\", \"cpu_ms\": %.1f, \"mb_per_s\": %.0f}%n", reader, best / 1e6,
                    body.length / 1e6 / (best / 1e9));
        }
    }
}
