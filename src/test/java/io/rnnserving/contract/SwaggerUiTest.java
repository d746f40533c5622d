package io.rnnserving.contract;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rnnserving.HeadlessChromium;
import io.rnnserving.NotebookReference;
import io.swagger.v3.parser.OpenAPIV3Parser;
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
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Swagger UI in real headless Chromium ({@link HeadlessChromium}): a person
 * opens it, tries POST /predict with the prefilled example and reads the model's answer, and every other operation
 * answers 2xx as prefilled.
 */
// the README example is compared with numpy float64 to 1e-12: the float32 default model computes in float64 here
@RunningService
@TestPropertySource(properties = "model.precision=float64")
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
    void everyOperationAnswers2xxAsPrefilled() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("http://localhost:" + port + "/swagger-ui.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".opblock")));
        List<WebElement> sections = browser.findElements(By.cssSelector(".opblock-tag"));
        assertThat(sections.get(0).getText()).as("the first section of Swagger UI").startsWith("predict");
        List<String> operations = browser.findElements(By.cssSelector(".opblock")).stream()
                .map(block -> block.getAttribute("id")).toList();
        assertThat(operations).as("every operation of the committed spec is on the page")
                .hasSize(operationsInCommittedSpec());

        Map<String, String> statuses = new LinkedHashMap<>();
        for (String id : operations) {
            statuses.put(id, executeAsPrefilled(wait, id));
        }

        // load and unload change what is served: refused while no management token is configured, as here
        Set<String> guarded = Set.of("operations-kserve-kserveRepositoryLoad", "operations-kserve-kserveRepositoryUnload");
        assertThat(statuses).as("HTTP status per operation, executed as prefilled")
                .allSatisfy((operation, status) -> assertThat(status).startsWith(guarded.contains(operation) ? "403" : "2"))
                .containsKeys(guarded.toArray(String[]::new));
    }

    /** Opens the operation, presses "Try it out" (when the editor is not open already) and "Execute". */
    private String executeAsPrefilled(WebDriverWait wait, String id) {
        WebElement operation = browser.findElement(By.id(id));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'});", operation);
        operation.findElement(By.cssSelector(".opblock-summary-control")).click();
        wait.until(browser -> !operation.findElements(By.cssSelector("button.execute, button.try-out__btn")).isEmpty());
        operation.findElements(By.cssSelector("button.try-out__btn")).stream()
                .filter(button -> button.getText().strip().equals("Try it out")).findFirst()
                .ifPresent(WebElement::click);
        wait.until(ExpectedConditions.elementToBeClickable(operation.findElement(By.cssSelector("button.execute"))))
                .click();
        String status = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(operation,
                By.cssSelector(".live-responses-table .response .response-col_status"))).get(0).getText().strip();
        // closed again, so the next operation's elements are the only live ones
        operation.findElement(By.cssSelector(".opblock-summary-control")).click();
        return status;
    }

    private static int operationsInCommittedSpec() {
        return new OpenAPIV3Parser().read(OpenApiDocument.PATH).getPaths().values().stream()
                .mapToInt(path -> path.readOperations().size()).sum();
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
