package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
}
