package io.rnnserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.RecurrentModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each served version's weights are held once, and an unloaded version's are released. */
class UnloadReleasesMemoryTest {
    private static final int FEATURES = 32;
    private static final int UNITS = 1024;
    private static final int OUTPUTS = 10;
    /** The weights as doubles: D×M + M×M + M + M×K + K values of 8 bytes, about 8.7 MB. */
    private static final long WEIGHT_BYTES = 8L * (FEATURES * UNITS + (long) UNITS * UNITS + UNITS + UNITS * OUTPUTS + OUTPUTS);

    @TempDir
    Path repo;

    @Test
    void loadingAndUnloadingALargeModelTwentyTimesLeavesTheHeapWhereItWas() throws Exception {
        RepositoryFiles.writeVersion(repo, "large", 1, "model.json", largeModel());
        var meters = new SimpleMeterRegistry();
        try (ModelRepository repository = new ModelRepository(new ModelRepositoryFolder(repo),
                new ModelRepository.Settings(VersionPolicy.ByModel.LATEST_FOR_ALL, null, Duration.ZERO, Duration.ZERO, EngineSettings.defaults()),
                meters)) {
            repository.start();
            List<WeakReference<RecurrentModel>> unloaded = new ArrayList<>();
            unloaded.add(servedModel(repository));
            long start = heapAfterGc();
            for (int i = 0; i < 20; i++) {
                repository.unload("large");
                assertThat(repository.load("large").versions())
                        .containsExactly(new VersionStatus(1, VersionState.AVAILABLE, null));
                if (i < 19) {
                    unloaded.add(servedModel(repository));
                }
            }
            long end = heapAfterGc();
            System.out.printf("heap after GC: %.1f MB at the start, %.1f MB after 20 loads and unloads "
                    + "(one version's weights: %.1f MB)%n", start / 1e6, end / 1e6, WEIGHT_BYTES / 1e6);
            assertThat(end - start).as("heap growth after 20 loads and unloads").isLessThan(WEIGHT_BYTES / 2);
            assertThat(unloaded).as("the models of unloaded versions are collected")
                    .allSatisfy(reference -> assertThat(reference.get()).isNull());
            assertThat(meters.get("rnn.model.unloads").counter().count()).isEqualTo(20);
        }
    }

    private static WeakReference<RecurrentModel> servedModel(ModelRepository repository) {
        try (var lease = repository.acquireLatest("large")) {
            return new WeakReference<>(lease.served().model());
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Input(None, 32) → SimpleRNN(1024, tanh) → Dense(10), small random weights. */
    private static String largeModel() {
        SplittableRandom random = new SplittableRandom(14);
        StringBuilder json = new StringBuilder(16_000_000);
        json.append("{\"name\": \"large\", \"inputShape\": [null, ").append(FEATURES).append("], \"layers\": [")
                .append("{\"type\": \"SimpleRNN\", \"units\": ").append(UNITS).append(", \"activation\": \"tanh\", ");
        matrix(json.append("\"kernel\": "), FEATURES, UNITS, random);
        matrix(json.append(", \"recurrentKernel\": "), UNITS, UNITS, random);
        matrix(json.append(", \"bias\": "), 1, UNITS, random);
        json.append("}, {\"type\": \"Dense\", \"units\": ").append(OUTPUTS).append(", \"activation\": \"linear\", ");
        matrix(json.append("\"kernel\": "), UNITS, OUTPUTS, random);
        matrix(json.append(", \"bias\": "), 1, OUTPUTS, random);
        return json.append("}]}").toString();
    }

    /** A rows×cols nested list, or a flat list for one row. */
    private static void matrix(StringBuilder json, int rows, int cols, SplittableRandom random) {
        if (rows > 1) {
            json.append('[');
        }
        for (int r = 0; r < rows; r++) {
            json.append(r == 0 ? "[" : ",[");
            for (int c = 0; c < cols; c++) {
                json.append(c == 0 ? "" : ",").append(Math.round(random.nextDouble(-0.03, 0.03) * 1e6) / 1e6);
            }
            json.append(']');
        }
        if (rows > 1) {
            json.append(']');
        }
    }
}
