package io.rnnserving.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The trace page in a browser, driven through its labelled controls, and the service's API beside it. */
final class TracePage {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChromeDriver browser;
    private final String origin;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TracePage(ChromeDriver browser, int port) {
        this.browser = browser;
        this.origin = "http://localhost:" + port;
    }

    /** Opens / and waits until the default model's example has been run and drawn. */
    TracePage open() {
        browser.get(origin + "/");
        waitForRuns(1, Duration.ofSeconds(30));
        return this;
    }

    long runs() {
        return ((Number) browser.executeScript("return window.rnnServingUi ? window.rnnServingUi.runs : 0")).longValue();
    }

    void waitForRuns(long runs, Duration timeout) {
        new WebDriverWait(browser, timeout).until(driver -> runs() >= runs);
    }

    WebElement control(String id) {
        return browser.findElement(By.id(id));
    }

    void type(String id, String text) {
        WebElement input = control(id);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
    }

    void generate(String kind, int samples, int steps, boolean ragged) {
        new Select(control("gen-kind")).selectByValue(kind);
        type("gen-samples", String.valueOf(samples));
        type("gen-steps", String.valueOf(steps));
        if (control("gen-ragged").isSelected() != ragged) {
            control("gen-ragged").click();
        }
        control("generate").click();
    }

    /** Presses a button that runs the model and waits until its answer is drawn. */
    void runWith(String button, Duration timeout) {
        long before = runs();
        control(button).click();
        waitForRuns(before + 1, timeout);
    }

    String x() {
        return control("x").getAttribute("value");
    }

    /** The cells painted on a layer's heatmap, as the page holds them: [step, unit, value]. */
    double[][] heatmap(String layer, String kind) {
        return heatmapData(layer, kind, "cells");
    }

    /** The padding bands drawn on a layer's heatmap, as [first step, last step]. */
    double[][] paddingBands(String layer, String kind) {
        return heatmapData(layer, kind, "padding");
    }

    private double[][] heatmapData(String layer, String kind, String part) {
        String data = (String) browser.executeScript("return JSON.stringify(window.rnnServingUi.heatmaps[arguments[0]]"
                + "[arguments[1]])", "heatmap-" + layer + "-" + kind, part);
        return JSON.readValue(data, double[][].class);
    }

    /** The padding bands as the heatmap chart draws them. */
    double[][] drawnPaddingBands(String layer, String kind) {
        String bands = (String) browser.executeScript("return JSON.stringify(echarts.getInstanceByDom("
                + "document.getElementById(arguments[0])).getOption().series[0].markArea.data"
                + ".map(band => [band[0].xAxis, band[1].xAxis]))", "heatmap-" + layer + "-" + kind);
        return JSON.readValue(bands, double[][].class);
    }

    JsonNode yhatShown() {
        return JSON.readTree(control("yhat").getText());
    }

    JsonNode lastRun() {
        return JSON.readTree((String) browser.executeScript("return JSON.stringify(window.rnnServingUi.lastRun)"));
    }

    /** POST /predict with the given body, as any client would send it. */
    HttpResponse<String> predict(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(origin + "/predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode predictJson(String body) throws IOException, InterruptedException {
        return JSON.readTree(predict(body).body());
    }
}
