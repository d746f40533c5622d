package io.rnnserving.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.rnnserving.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The trace page in headless Chromium, used as a person would, against the service's own API: what it draws is what
 * POST /predict answers for the same request, to the last bit.
 */
// the page and the API are compared to 1e-12: the float32 default model computes in float64 here
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "model.precision=float64")
class TracePageBrowserTest {
    private static final Duration RUN = Duration.ofSeconds(30);
    private static final String LAYER = "simple_rnn";
    private static final int UNITS = 5;

    @LocalServerPort
    int port;

    HeadlessChromium chromium;
    ChromeDriver browser;
    TracePage page;

    @BeforeEach
    void openBrowser() throws IOException {
        chromium = HeadlessChromium.open(1400, 1500);
        browser = chromium.driver();
        page = new TracePage(browser, port);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void heatmapAndYhatAreWhatTheApiAnswersForTheSameRequest() throws Exception {
        page.open();
        assertThat(page.heatmap(LAYER, "h")).as("the default model's example, drawn on opening: 10 steps × 5 units")
                .hasNumberOfRows(10 * UNITS);
        Select model = new Select(page.control("model"));
        // with GET /models the page lists each model version
        model.selectByVisibleText("notebook-simple-rnn · version 1");

        page.generate("random", 1, 12, false);
        page.runWith("predict", RUN);
        chromium.screenshot(Path.of("target/trace-page.png"));

        JsonNode api = page.predictJson("{\"x\": " + page.x() + ", \"trace\": true}");
        assertCellsEqual(page.heatmap(LAYER, "h"), api.get("hidden").get(0), 12);
        assertThat(TracePage.JSON.treeToValue(page.yhatShown(), double[][].class))
                .isDeepEqualTo(TracePage.JSON.treeToValue(api.get("yhat"), double[][].class));
        // a service without a model repository answers GET /models 404, and the page falls back to GET /model
        assertThat(chromium.consoleErrors()).as("script errors and Content-Security-Policy violations")
                .filteredOn(error -> !error.matches(".*/models - Failed to load resource: .* status of 404.*"))
                .isEmpty();
    }

    @Test
    void theValueUnderThePointerIsTheApisValue() throws Exception {
        page.open();
        JsonNode api = page.predictJson("{\"x\": " + page.x() + ", \"trace\": true}");
        String id = "heatmap-" + LAYER + "-h";
        @SuppressWarnings("unchecked")
        List<Number> pixel = (List<Number>) browser.executeScript("return echarts.getInstanceByDom("
                + "document.getElementById(arguments[0])).convertToPixel({gridIndex: 0}, [3, 1])", id);
        org.openqa.selenium.WebElement chart = page.control(id);
        new Actions(browser).moveToElement(chart, pixel.get(0).intValue() - chart.getSize().getWidth() / 2,
                pixel.get(1).intValue() - chart.getSize().getHeight() / 2).perform();

        String readout = page.control(id + "-value").getText();
        assertThat(readout).startsWith("step 3, unit 1: h = ");
        assertThat(Double.parseDouble(readout.substring(readout.indexOf("= ") + 2)))
                .isEqualTo(api.get("hidden").get(0).get(3).get(1).asDouble());
        assertThat(page.control(id + "-tip").getText()).isEqualTo(readout);
        chromium.screenshot(Path.of("target/trace-page-opening.png")); // docs/trace-page.png is a copy of it
    }

    @Test
    void aRaggedSamplesPaddingIsLeftEmpty() throws Exception {
        page.open();
        page.generate("sine", 3, 12, true);
        page.runWith("predict", RUN);
        long before = page.runs();
        new Select(page.control("sample")).selectByValue("2");
        new WebDriverWait(browser, RUN).until(driver -> page.heatmap(LAYER, "h").length == 8 * UNITS);

        JsonNode api = page.predictJson("{\"x\": " + page.x() + ", \"trace\": true}");
        assertThat(api.get("hidden").get(2).size()).as("the third sample's own length").isEqualTo(8);
        assertCellsEqual(page.heatmap(LAYER, "h"), api.get("hidden").get(2), 8);
        assertThat(page.paddingBands(LAYER, "h")).as("steps 8 to 11 are padding").isDeepEqualTo(new double[][] {{8, 11}});
        assertThat(page.drawnPaddingBands(LAYER, "h")).isDeepEqualTo(new double[][] {{8, 11}});
        assertThat(page.control("sample-note").getText()).contains("8 computed steps of 12");
        assertThat(page.runs()).as("choosing a sample redraws without asking the service again").isEqualTo(before);
    }

    @Test
    void theNextChunkCarriesTheReturnedStateAndIsAppended() throws Exception {
        page.open();
        page.generate("sine", 1, 6, false);
        page.runWith("predict", RUN);
        String first = page.x();
        page.generate("sine", 1, 6, false); // the first step has moved on to 6: the sine goes on
        String second = page.x();
        page.runWith("next-chunk", RUN);

        double[][][] whole = concatenate(TracePage.JSON.readValue(first, double[][][].class),
                TracePage.JSON.readValue(second, double[][][].class));
        JsonNode api = page.predictJson("{\"x\": " + TracePage.JSON.writeValueAsString(whole) + ", \"trace\": true}");
        double[][] cells = page.heatmap(LAYER, "h");
        assertThat(cells).hasNumberOfRows(12 * UNITS);
        // the engine's streaming equals the whole sequence to 1e-12 (PredictControllerTest); the page adds nothing
        for (double[] cell : cells) {
            assertThat(cell[2]).isCloseTo(api.get("hidden").get(0).get((int) cell[0]).get((int) cell[1]).asDouble(),
                    within(1e-12));
        }
        double[][] yhat = TracePage.JSON.treeToValue(page.yhatShown(), double[][].class);
        assertThat(yhat[0][0]).isCloseTo(api.get("yhat").get(0).get(0).asDouble(), within(1e-12));
        assertThat(yhat[0][1]).isCloseTo(api.get("yhat").get(0).get(1).asDouble(), within(1e-12));
        assertThat(page.lastRun().get("chunks").asInt()).isEqualTo(2);
    }

    /**
     * An LSTM's answer will carry its cell state beside h (issue 17) as {@code cell}, or {@code cellByLayer} for
     * stacked models. No served layer has one yet, so the page's own fetch adds one to the real answer: c = h / 2.
     */
    @Test
    void aCellStateInTheAnswerIsDrawnBesideTheHiddenState() {
        page.open();
        browser.executeScript("""
                const serviceFetch = window.fetch;
                window.fetch = async (path, init) => {
                  const response = await serviceFetch(path, init);
                  if (!init || init.method !== 'POST' || !response.ok) {
                    return response;
                  }
                  const answer = await response.json();
                  answer.cell = answer.hidden.map(sample => sample.map(step => step.map(value => value / 2)));
                  return new Response(JSON.stringify(answer), {status: 200,
                      headers: {'Content-Type': 'application/json'}});
                };""");
        page.generate("sine", 1, 9, false);
        page.runWith("predict", RUN);

        double[][] hidden = page.heatmap(LAYER, "h");
        double[][] cell = page.heatmap(LAYER, "c");
        assertThat(cell).hasNumberOfRows(9 * UNITS);
        for (int index = 0; index < hidden.length; index++) {
            assertThat(cell[index]).containsExactly(hidden[index][0], hidden[index][1], hidden[index][2] / 2);
        }
        assertThat(new Select(page.control("line-layer")).getOptions()).extracting(option -> option.getText())
                .containsExactly("simple_rnn (h)", "simple_rnn (c)");
    }

    @Test
    void aRefusedInputShowsTheProblemsDetailAndPointerBesideIt() throws Exception {
        page.open();
        String x = "[[[0.1, 0.2, 0.3], [0.4, 0.5]]]";
        page.type("x", x);
        page.control("predict").click();
        new WebDriverWait(browser, RUN).until(driver -> page.control("problem").isDisplayed());

        JsonNode problem = page.predictJson("{\"x\": " + x + ", \"trace\": true, \"returnState\": true}");
        assertThat(problem.get("pointer").asString()).isEqualTo("/x/0/1");
        assertThat(page.control("problem-detail").getText()).isEqualTo(problem.get("detail").asString());
        assertThat(page.control("problem-pointer").getText()).isEqualTo("/x/0/1");
        assertThat(page.control("x").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(page.control("x").getAttribute("aria-describedby")).contains("problem");
        assertThat((String) browser.executeScript("const x = document.getElementById('x');"
                + " return document.activeElement === x ? x.value.substring(x.selectionStart, x.selectionEnd) : null"))
                .as("the place the pointer names, selected in the editor").isEqualTo("[0.4, 0.5]");
        chromium.screenshot(Path.of("target/trace-page-problem.png"));
    }

    @Test
    void everyControlHasALabel() {
        page.open();
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) browser.executeScript("""
                return Array.from(document.querySelectorAll('input, select, textarea, button'))
                    .filter(control => {
                      const labels = Array.from(control.labels || []).map(label => label.textContent).join(' ');
                      const name = labels || control.getAttribute('aria-label')
                          || (control.tagName === 'BUTTON' ? control.textContent : '');
                      return !name.trim();
                    })
                    .map(control => control.id || control.outerHTML);""");
        Number controls = (Number) browser.executeScript(
                "return document.querySelectorAll('input, select, textarea, button').length");

        assertThat(controls.intValue()).isGreaterThanOrEqualTo(14);
        assertThat(unlabelled).isEmpty();
    }

    @Test
    void theMainFlowWorksWithTheKeyboardAlone() {
        page.open();
        long before = page.runs();
        List<String> order = new ArrayList<>();
        tabTo("gen-kind", order);
        keys(Keys.ARROW_DOWN); // a sine, then random
        tabTo("gen-samples", order);
        keys(Keys.chord(Keys.CONTROL, "a"), "2");
        tabTo("gen-steps", order);
        keys(Keys.chord(Keys.CONTROL, "a"), "7");
        tabTo("generate", order);
        keys(Keys.ENTER);
        tabTo("predict", order);
        assertThat((String) browser.executeScript("return getComputedStyle(document.activeElement).outlineStyle"))
                .as("the focused button is outlined").isNotEqualTo("none");
        keys(Keys.ENTER);
        page.waitForRuns(before + 1, RUN);

        assertThat(order).containsSubsequence("model", "gen-kind", "gen-samples", "gen-steps", "gen-start",
                "gen-ragged", "generate", "x", "predict");
        assertThat(new Select(page.control("gen-kind")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("random");
        assertThat(new Select(page.control("sample")).getOptions()).hasSize(2);
        assertThat(page.heatmap(LAYER, "h")).hasNumberOfRows(7 * UNITS);
    }

    private void tabTo(String id, List<String> order) {
        for (int presses = 0; presses < 40; presses++) {
            keys(Keys.TAB);
            String focused = (String) browser.executeScript("return document.activeElement.id");
            order.add(focused);
            if (id.equals(focused)) {
                return;
            }
        }
        throw new AssertionError("Tab never reached #" + id + "; focus went " + order);
    }

    private void keys(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    /** Every step × unit exactly once, each equal to the API's value. */
    static void assertCellsEqual(double[][] cells, JsonNode hidden, int steps) {
        int units = hidden.get(0).size();
        assertThat(cells).hasNumberOfRows(steps * units);
        Set<Integer> seen = new HashSet<>();
        for (double[] cell : cells) {
            int step = (int) cell[0];
            int unit = (int) cell[1];
            seen.add(step * units + unit);
            assertThat(cell[2]).as("step %d, unit %d", step, unit).isEqualTo(hidden.get(step).get(unit).asDouble());
        }
        assertThat(seen).hasSize(steps * units);
    }

    private static double[][][] concatenate(double[][][] first, double[][][] second) {
        double[][][] whole = new double[first.length][][];
        for (int n = 0; n < first.length; n++) {
            whole[n] = new double[first[n].length + second[n].length][];
            System.arraycopy(first[n], 0, whole[n], 0, first[n].length);
            System.arraycopy(second[n], 0, whole[n], first[n].length, second[n].length);
        }
        return whole;
    }
}
