package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

class FrameworkFloorControllerTest {
    private static final String ONE_SAMPLE = "{\"x\":[[[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3],"
            + "[1,2,3],[1,2,3],[1,2,3]]]}";

    @Nested
    @SpringBootTest(properties = "rnn-serving.bench.floor-endpoint=true")
    @AutoConfigureMockMvc
    class WhenEnabled {
        @Autowired
        MockMvcTester mvc;

        @Test
        void parsesThePredictBodyAndAnswersAConstant() {
            assertThat(mvc.post().uri("/bench/floor").contentType(MediaType.APPLICATION_JSON).content(ONE_SAMPLE))
                    .hasStatusOk().bodyText().isEqualTo("{\"yhat\":[[0.0]]}");
        }

        @Test
        void rejectsWhatPredictRejects() {
            assertThat(mvc.post().uri("/bench/floor").contentType(MediaType.APPLICATION_JSON).content("{\"x\":[[[1]]]}"))
                    .hasStatus(HttpStatus.BAD_REQUEST);
        }
    }

    @Nested
    @SpringBootTest
    @AutoConfigureMockMvc
    class ByDefault {
        @Autowired
        MockMvcTester mvc;

        @Test
        void isNotExposed() {
            assertThat(mvc.post().uri("/bench/floor").contentType(MediaType.APPLICATION_JSON).content(ONE_SAMPLE))
                    .hasStatus(HttpStatus.NOT_FOUND);
        }
    }
}
