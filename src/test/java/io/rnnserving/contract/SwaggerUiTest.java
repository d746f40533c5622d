package io.rnnserving.contract;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.rnnserving.NotebookReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Swagger UI in real headless Chromium (Debian's chromium and chromium-driver, .ci/install-browser.sh): a person
 * opens it, tries POST /predict with the prefilled example and reads the model's answer.
 */
@RunningService
class SwaggerUiTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target/swagger-ui-predict.png");

    @LocalServerPort
    int port;

    Path profile;
    ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "Chromium or ChromeDriver is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "); run .ci/install-browser.sh";
            if (System.getenv("CI") != null) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        // both paths given, so Selenium Manager has nothing to look up or download
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("swagger-ui-chromium");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,1500", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
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
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

        assertThat(status.getText().strip()).isEqualTo("200");
        JsonNode yhat = json.readTree(responseBody.getText()).get("yhat");
        assertThat(yhat.size()).isOne();
        assertThat(yhat.get(0).get(0).asDouble()).isCloseTo(readme.yhat()[0][0], within(NotebookReference.TOLERANCE));
        assertThat(yhat.get(0).get(1).asDouble()).isCloseTo(readme.yhat()[0][1], within(NotebookReference.TOLERANCE));
        assertThat(predict.findElement(By.xpath(".//*[normalize-space()='Request duration']/following-sibling::*[1]"))
                .getText()).as("display-request-duration").endsWith("ms");

    }
}
