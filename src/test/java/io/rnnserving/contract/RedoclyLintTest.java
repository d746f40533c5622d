package io.rnnserving.contract;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed spec lints clean with Redocly CLI (npm): in the contract profile, which .ci/run enables. */
class RedoclyLintTest {
    private static final Path SPEC = Path.of(OpenApiDocument.PATH);

    @Test
    void committedSpecLintsCleanWithRedocly() throws Exception {
        RedoclyCli.Run lint = RedoclyCli.run("lint", SPEC.toString(), "--config", "openapi/redocly.yaml",
                "--format", "json");

        assertThat(lint.exitCode()).as("redocly lint exit code%n%s%n%s", lint.stdout(), lint.stderr()).isZero();
        JsonNode totals = JsonMapper.builder().build().readTree(lint.stdout()).get("totals");
        assertThat(totals.get("errors").asInt() + totals.get("warnings").asInt())
                .as("Redocly problems (rules in openapi/redocly.yaml):%n%s", lint.stdout()).isZero();
    }
}
