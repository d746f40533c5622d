package io.rnnserving.problem;

import java.io.IOException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.converter.HttpMessageNotWritableException;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that hangs up before its answer is written is not a server error: no 500, no stack trace in the log. */
@ExtendWith(OutputCaptureExtension.class)
class DisconnectedClientTest {
    private static final Exception BROKEN_PIPE = new HttpMessageNotWritableException(
            "Could not write JSON: ServletOutputStream failed to write", new IOException("Broken pipe"));

    @Test
    void problemDetailsAdviceAnswersNobody(CapturedOutput output) {
        assertThat(new ProblemDetailsAdvice(new ProblemAnswers(new SimpleMeterRegistry())).unexpected(BROKEN_PIPE)).isNull();
        assertThat(output).doesNotContain("Unexpected error");
    }

    @Test
    void errorStringAdviceAnswersNobody(CapturedOutput output) {
        ErrorStringAdvice advice = new ErrorStringAdvice(new SimpleMeterRegistry()) {
        };
        assertThat(advice.unexpected(BROKEN_PIPE)).isNull();
        assertThat(output).doesNotContain("Unexpected error");
    }

    @Test
    void anyOtherFailureIsStillA500ThatIsLogged(CapturedOutput output) {
        ErrorStringAdvice advice = new ErrorStringAdvice(new SimpleMeterRegistry()) {
        };
        assertThat(advice.unexpected(new IllegalStateException("boom")).getStatusCode().value()).isEqualTo(500);
        assertThat(output).contains("Unexpected error while serving a request");
    }
}
