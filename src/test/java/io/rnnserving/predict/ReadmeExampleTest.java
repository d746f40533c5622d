package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rnnserving.Prerequisite;
import io.rnnserving.RunningServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Replays the README's curl examples and expects the output the README shows: the first against the running server
 * (the default model), those under a {@code MODEL_PATH=… ./mvnw spring-boot:run} line against a server of that model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeExampleTest {
    private static final Pattern CURL_EXAMPLE = Pattern.compile(
            "curl -s localhost:8080/predict -H 'Content-Type: application/json' \\\\\\n\\s+-d '(?<body>[^']+)'\\n"
                    + "(?<answer>\\{[^\\n]+})\\n");

    private static final Pattern MODEL_EXAMPLE = Pattern.compile(
            "```sh\\nMODEL_PATH=(?<model>\\S+) \\./mvnw spring-boot:run\\n(?<calls>(?:curl[^\\n]+\\n[^\\n]+\\n\\{[^\\n]+}\\n)+)```");
    private static final Pattern CALL = Pattern.compile(
            "curl -s localhost:8080/predict -H 'Content-Type: application/json' \\\\\\n\\s+-d '(?<body>[^']+)'\\n"
                    + "(?<answer>\\{[^\\n]+})\\n");

    @LocalServerPort
    int port;

    @Test
    void readmeCurlExampleReturnsWhatTheReadmeSays() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher example = CURL_EXAMPLE.matcher(readme);
        assertThat(example.find()).as("README.md has the curl example").isTrue();

        RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        client.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).body(example.group("body"))
                .exchange()
                .expectStatus().isOk()
                .expectBody().json(example.group("answer"), org.springframework.test.json.JsonCompareMode.STRICT);
    }

    @Test
    void readmeExamplesOfOtherModelsReturnWhatTheReadmeSays() throws IOException {
        Matcher example = MODEL_EXAMPLE.matcher(Files.readString(Path.of("README.md")));
        int calls = 0;
        while (example.find()) {
            try (RunningServer server = RunningServer.start("--model.path=" + example.group("model"))) {
                RestTestClient client = RestTestClient.bindToServer().baseUrl(server.uri("").toString()).build();
                Matcher call = CALL.matcher(example.group("calls"));
                while (call.find()) {
                    client.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).body(call.group("body"))
                            .exchange()
                            .expectStatus().isOk()
                            .expectBody().json(call.group("answer"), org.springframework.test.json.JsonCompareMode.STRICT);
                    calls++;
                }
            }
        }
        assertThat(calls).as("the README's calls to the text model and the LSTM").isEqualTo(3);
    }

    /** The README's Python client, run as the README runs it against a server of the same file, prints what it shows. */
    @Test
    void readmePythonClientPrintsWhatTheReadmeShows() throws Exception {
        Matcher example = PYTHON_CLIENT.matcher(Files.readString(Path.of("README.md")));
        assertThat(example.find()).as("README.md shows scripts/predict_client.py's output").isTrue();
        String python = System.getenv().getOrDefault("KERAS_PYTHON", "python3");
        Prerequisite.require(new ProcessBuilder(python, "-c", "import keras, requests").start().waitFor() == 0,
                python + " cannot import keras and requests, so the README's Python client cannot be replayed (set "
                        + "KERAS_PYTHON to a Python with Keras 3, as .ci/install-keras.sh does)");
        try (RunningServer server = RunningServer.start("--model.path=" + example.group("model"))) {
            Path log = Files.createTempFile("predict_client", ".log"); // TensorFlow's messages, shown on failure
            Process client = new ProcessBuilder(python, "scripts/predict_client.py", example.group("model"),
                    server.uri("").toString().replaceAll("/$", "")).redirectError(log.toFile()).start();
            String printed = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor()).as("exit status of scripts/predict_client.py:\n%s%s", printed,
                    Files.readString(log)).isZero();
            Files.delete(log);
            assertThat(printed.strip()).isEqualTo(example.group("output").strip());
        }
    }

    private static final Pattern PYTHON_CLIENT = Pattern.compile(
            "```\\n\\$ python scripts/predict_client\\.py (?<model>\\S+)\\n(?<output>.*?)```", Pattern.DOTALL);
}
