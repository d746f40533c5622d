package io.rnnserving.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine and ONNX Runtime called alternately in one JVM, so both see the same background load on a shared
 * machine: prints each one's median wall ms and process CPU ms per batch, and the ratios. CPU ms is the steadier
 * measure when other work shares the cores. Complements {@link EngineBenchmark}, whose
 * benchmarks run one after the other. Args: [workload=large:256] [threads=2] [rounds=15] [warmup rounds=5]
 * [precision=float32] [vector bits=auto].
 */
public final class PairedEngineRun {
    private PairedEngineRun() {
    }

    public static void main(String[] args) throws Exception {
        EngineBenchmark bench = new EngineBenchmark();
        bench.workload = args.length > 0 ? args[0] : "large:256";
        bench.threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        bench.precision = args.length > 4 ? args[4] : "float32";
        bench.vectorBits = args.length > 5 ? args[5] : "auto";
        bench.setUp();
        int samples = Integer.parseInt(bench.workload.split(":")[1]);
        List<Double> engine = new ArrayList<>();
        List<Double> ort = new ArrayList<>();
        List<Double> engineCpu = new ArrayList<>();
        List<Double> ortCpu = new ArrayList<>();
        double sink = 0;
        for (int round = -warmup; round < rounds; round++) {
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            sink += bench.engine()[0];
            long middle = System.nanoTime();
            long cpuMiddle = processCpuNanos();
            sink += bench.onnxRuntime()[0][0];
            long end = System.nanoTime();
            long cpuEnd = processCpuNanos();
            if (round >= 0) {
                engine.add((middle - start) / 1e6);
                ort.add((end - middle) / 1e6);
                engineCpu.add((cpuMiddle - cpuStart) / 1e6);
                ortCpu.add((cpuEnd - cpuMiddle) / 1e6);
            }
        }
        bench.tearDown();
        double e = median(engine);
        double o = median(ort);
        System.out.printf("{\"workload\":\"%s\",\"precision\":\"%s\",\"vector_bits\":\"%s\",\"kernel\":\"%s\",\"threads\":%d,\"rounds\":%d,\"engine_ms\":%.1f,\"onnxruntime_ms\":%.1f,"
                        + "\"engine_samples_per_s\":%.0f,\"onnxruntime_samples_per_s\":%.0f,\"ratio\":%.3f,\"engine_cpu_ms\":%.1f,\"onnxruntime_cpu_ms\":%.1f,\"cpu_ratio\":%.3f,\"sink\":%s}%n",
                bench.workload, bench.precision, bench.vectorBits, bench.model.stepKernel().replace("\"", "'"),
                bench.threads, rounds, e, o, samples * 1000 / e, samples * 1000 / o, o / e, median(engineCpu), median(ortCpu), median(ortCpu) / median(engineCpu),
                Double.isFinite(sink));
    }

    /** CPU time of the whole process, every thread: what a batch costs whatever else the machine runs. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
