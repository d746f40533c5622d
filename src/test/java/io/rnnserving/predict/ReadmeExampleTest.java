package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Replays the README's curl example against the running server and expects the output the README shows. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeExampleTest {
    private static final Pattern CURL_EXAMPLE = Pattern.compile(
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
}
