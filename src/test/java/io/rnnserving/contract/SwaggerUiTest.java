package io.rnnserving.contract;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.rnnserving.HeadlessChromium;
import io.rnnserving.NotebookReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Swagger UI in real headless Chromium ({@link HeadlessChromium}): a person opens it, tries POST /predict with the
 * prefilled example and reads the model's answer.
 */
@RunningService
class SwaggerUiTest {
    private static final Path SCREENSHOT = Path.of("target/swagger-ui-predict.png");

    @LocalServerPort
    int port;

    HeadlessChromium chromium;
    ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws IOException {
        chromium = HeadlessChromium.open(1400, 1500);
        browser = chromium.driver();
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void predictCanBeTriedFromSwaggerUiWithThePrefilledExample() throws IOException {
        NotebookReference readme = NotebookReference.readme();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://localhost:" + port + "/swagger-ui.html");
        WebElement predict = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.id("operations-predict-predict")));
        predict.findElement(By.cssSelector(".opblock-summary-control")).click();
        WebElement body = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(predict,
                By.cssSelector("textarea.body-param__text"))).get(0);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.treeToValue(json.readTree(body.getAttribute("value")).get("x"), double[][][].class))
                .as("the prefilled request body").isDeepEqualTo(readme.x());

        // try-it-out-enabled opens the editor at once; a person without it would press "Try it out" first
        predict.findElements(By.cssSelector("button.try-out__btn")).stream()
                .filter(button -> button.getText().strip().equals("Try it out")).findFirst()
                .ifPresent(WebElement::click);
        wait.until(ExpectedConditions.elementToBeClickable(predict.findElement(By.cssSelector("button.execute"))))
                .click();

        WebElement status = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(predict,
                By.cssSelector(".live-responses-table .response .response-col_status"))).get(0);
        WebElement responseBody = wait.until(browser -> predict
                .findElements(By.cssSelector(".live-responses-table .response-col_description pre")).stream()
                .filter(pre -> pre.getText().contains("yhat")).findFirst().orElse(null));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});",
                status);
        chromium.screenshot(SCREENSHOT);

        assertThat(status.getText().strip()).isEqualTo("200");
        JsonNode yhat = json.readTree(responseBody.getText()).get("yhat");
        assertThat(yhat.size()).isOne();
        assertThat(yhat.get(0).get(0).asDouble()).isCloseTo(readme.yhat()[0][0], within(NotebookReference.TOLERANCE));
        assertThat(yhat.get(0).get(1).asDouble()).isCloseTo(readme.yhat()[0][1], within(NotebookReference.TOLERANCE));
        assertThat(predict.findElement(By.xpath(".//*[normalize-space()='Request duration']/following-sibling::*[1]"))
                .getText()).as("display-request-duration").endsWith("ms");

    }
}
