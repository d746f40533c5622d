package io.rnnserving.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.rnnserving.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A trace of T = 1000 steps of a 64-unit layer, 64,000 cells, and of the 8-unit layer stacked on it, drawn by the
 * trace page in headless Chromium in under 2 s from the answer's arrival (the figure is printed and written to
 * target/trace-render-time.txt); each layer's heatmap is that layer's hiddenByLayer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "model.warm-up=0s")
class LargeTraceRenderTest {
    private static final int UNITS = 64;
    private static final int NARROW_UNITS = 8;
    private static final int FEATURES = 3;
    private static final int STEPS = 1000;
    private static final long RENDER_LIMIT_MS = 2000;

    @LocalServerPort
    int port;

    HeadlessChromium chromium;
    TracePage page;

    @DynamicPropertySource
    static void wideModel(DynamicPropertyRegistry registry) {
        registry.add("model.path", () -> writeWideModel().toString());
    }

    @BeforeEach
    void openBrowser() throws IOException {
        chromium = HeadlessChromium.open(1400, 1500);
        page = new TracePage(chromium.driver(), port);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aThousandStepsOfSixtyFourUnitsAreDrawnInUnderTwoSeconds() throws Exception {
        page.open();
        page.generate("random", 1, STEPS, false);
        page.runWith("predict", Duration.ofSeconds(60));

        JsonNode run = page.lastRun();
        double renderMs = run.get("renderMs").asDouble();
        String figure = String.format("trace page: T=%d, M=%d (%d cells) and M=%d stacked on it drawn in %.0f ms; "
                + "the answer took %.0f ms%n", STEPS, UNITS, STEPS * UNITS, NARROW_UNITS, renderMs, run.get("requestMs").asDouble());
        System.out.print(figure);
        Files.writeString(Path.of("target/trace-render-time.txt"), figure);
        chromium.screenshot(Path.of("target/trace-page-large.png"));

        JsonNode api = page.predictJson("{\"x\": " + page.x() + ", \"trace\": true}");
        TracePageBrowserTest.assertCellsEqual(page.heatmap("wide_rnn", "h"), api.get("hiddenByLayer").get("wide_rnn")
                .get(0), STEPS);
        TracePageBrowserTest.assertCellsEqual(page.heatmap("narrow_rnn", "h"), api.get("hiddenByLayer")
                .get("narrow_rnn").get(0), STEPS);
        assertThat(renderMs).as("milliseconds from the answer to the drawn charts").isLessThan(RENDER_LIMIT_MS);
    }

    /**
     * An rnn-serving JSON model: Input(None, 3) → SimpleRNN(64, tanh, return_sequences) → SimpleRNN(8, tanh) →
     * Dense(2), small seeded random weights.
     */
    private static Path writeWideModel() {
        Random random = new Random(19);
        Map<String, Object> rnn = new LinkedHashMap<>();
        rnn.put("type", "SimpleRNN");
        rnn.put("name", "wide_rnn");
        rnn.put("units", UNITS);
        rnn.put("activation", "tanh");
        rnn.put("kernel", uniform(random, FEATURES, UNITS, 0.5));
        rnn.put("recurrentKernel", uniform(random, UNITS, UNITS, 1 / Math.sqrt(UNITS)));
        rnn.put("bias", uniform(random, 1, UNITS, 0.1).get(0));
        rnn.put("returnSequences", true);
        Map<String, Object> narrow = new LinkedHashMap<>();
        narrow.put("type", "SimpleRNN");
        narrow.put("name", "narrow_rnn");
        narrow.put("units", NARROW_UNITS);
        narrow.put("activation", "tanh");
        narrow.put("kernel", uniform(random, UNITS, NARROW_UNITS, 1 / Math.sqrt(UNITS)));
        narrow.put("recurrentKernel", uniform(random, NARROW_UNITS, NARROW_UNITS, 1 / Math.sqrt(NARROW_UNITS)));
        narrow.put("bias", uniform(random, 1, NARROW_UNITS, 0.1).get(0));
        Map<String, Object> dense = new LinkedHashMap<>();
        dense.put("type", "Dense");
        dense.put("name", "dense");
        dense.put("units", 2);
        dense.put("activation", "linear");
        dense.put("kernel", uniform(random, NARROW_UNITS, 2, 0.2));
        dense.put("bias", uniform(random, 1, 2, 0.1).get(0));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", "wide-rnn-64");
        model.put("inputShape", new Integer[] {null, FEATURES});
        model.put("layers", List.of(rnn, narrow, dense));
        try {
            Path file = Files.createTempFile("wide-rnn-64", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, TracePage.JSON.writeValueAsString(model));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<List<Double>> uniform(Random random, int rows, int columns, double bound) {
        List<List<Double>> matrix = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            List<Double> values = new ArrayList<>();
            for (int column = 0; column < columns; column++) {
                values.add((random.nextDouble() * 2 - 1) * bound);
            }
            matrix.add(values);
        }
        return matrix;
    }
}
