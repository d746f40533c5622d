package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Every kind of bad input gets its 4xx problem+json, with a JSON pointer where the input is at fault. */
@SpringBootTest(properties = "rnn-serving.limits.max-body-size=4KB")
@AutoConfigureMockMvc
class PredictProblemsTest {
    private static final String STEP = "[0.1, 0.2, 0.3]";

    @Autowired
    MockMvcTester mvc;

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"x\": [[" + STEP + "]", 400, "malformed-json", "/x/0"),
                Arguments.of("not an object", "[1, 2]", 400, "wrong-type", ""),
                Arguments.of("missing x", "{\"trace\": true}", 400, "missing-field", "/x"),
                Arguments.of("empty batch", "{\"x\": []}", 400, "wrong-shape", "/x"),
                Arguments.of("empty sequence", "{\"x\": [[" + STEP + "], []]}", 400, "wrong-shape", "/x/1"),
                Arguments.of("wrong D", "{\"x\": [[" + STEP + "], [" + STEP + "," + STEP + "," + STEP + "," + STEP
                        + ", [1, 2]]]}", 400, "wrong-shape", "/x/1/4"),
                Arguments.of("a string", "{\"x\": [[[0.1, \"0.2\", 0.3]]]}", 400, "wrong-type", "/x/0/0/1"),
                Arguments.of("null", "{\"x\": [[[0.1, null, 0.3]]]}", 400, "wrong-type", "/x/0/0/1"),
                Arguments.of("NaN", "{\"x\": [[[0.1, NaN, 0.3]]]}", 400, "invalid-number", "/x/0/0/1"),
                Arguments.of("Infinity", "{\"x\": [[[0.1, 0.2, -Infinity]]]}", 400, "invalid-number", "/x/0/0/2"),
                Arguments.of("beyond float", "{\"x\": [[[1e39, 0.2, 0.3]]]}", 400, "invalid-number", "/x/0/0/0"),
                Arguments.of("x not nested", "{\"x\": [0.1, 0.2, 0.3]}", 400, "wrong-type", "/x/0"),
                Arguments.of("trace not boolean", "{\"x\": [[" + STEP + "]], \"trace\": \"yes\"}", 400, "wrong-type",
                        "/trace"),
                Arguments.of("unknown field", "{\"x\": [[" + STEP + "]], \"tarce\": true}", 400, "unknown-field",
                        "/tarce"),
                Arguments.of("duplicate field", "{\"x\": [[" + STEP + "]], \"x\": [[" + STEP + "]]}", 400,
                        "duplicate-field", "/x"),
                Arguments.of("lengths too long", "{\"x\": [[" + STEP + "]], \"lengths\": [2]}", 400, "wrong-shape",
                        "/lengths/0"),
                Arguments.of("lengths count", "{\"x\": [[" + STEP + "]], \"lengths\": [1, 1]}", 400, "wrong-shape",
                        "/lengths"),
                Arguments.of("h0 wrong shape", "{\"x\": [[" + STEP + "]], \"h0\": [[0, 0]]}", 400, "wrong-shape", "/h0"),
                Arguments.of("h0 unknown layer", "{\"x\": [[" + STEP + "]], \"h0\": {\"lstm\": [[0,0,0,0,0]]}}", 400,
                        "wrong-shape", "/h0/lstm"),
                Arguments.of("two values", "{\"x\": [[" + STEP + "]]} {}", 400, "malformed-json", ""),
                Arguments.of("too deep", "{\"x\": " + "[".repeat(1000) + "]".repeat(1000) + "}", 400, "wrong-type",
                        "/x/0/0/0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badInputIsAProblemWithAPointer(String what, String body, int status, String type, String pointer) {
        MvcTestResult result = mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body).exchange();

        assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:rnn-serving:problem:" + type);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().isNotBlank().doesNotContain("Exception");
        if (pointer != null) {
            assertThat(result).bodyJson().extractingPath("$.pointer").isEqualTo(pointer);
        }
    }

    @Test
    void wrongDIsExplainedInWords() {
        String body = "{\"x\": [[" + STEP + "], [" + STEP + "," + STEP + "," + STEP + "," + STEP + ", [1, 2]]]}";
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body))
                .bodyJson().extractingPath("$.detail").isEqualTo("timestep 4 of sample 1 has 2 features; the model takes 3");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String body = "{\"x\": [[" + (STEP + ",").repeat(400) + STEP + "]]}";
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content(body))
                .hasStatus(413).bodyJson().extractingPath("$.type").isEqualTo("urn:rnn-serving:problem:body-too-large");
    }

    @Test
    void wrongContentTypeIs415() {
        assertThat(mvc.post().uri("/predict").contentType(MediaType.TEXT_PLAIN).content("{\"x\": [[" + STEP + "]]}"))
                .hasStatus(415).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.type").isEqualTo("urn:rnn-serving:problem:unsupported-media-type");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        assertThat(mvc.get().uri("/no-such-thing")).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.type").isEqualTo("urn:rnn-serving:problem:not-found");
        assertThat(mvc.get().uri("/predict")).hasStatus(405).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.type").isEqualTo("urn:rnn-serving:problem:method-not-allowed");
    }

    @Test
    void theServiceStaysHealthyAfterBadInput() {
        mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"x\": [[[NaN").exchange();
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"x\": [[" + STEP + "]]}"))
                .hasStatusOk().bodyJson().extractingPath("$.yhat").asArray().hasSize(1);
    }
}
