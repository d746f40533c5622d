package io.rnnserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The actuator paths the probes and the Prometheus scrape in deploy/ use, and nothing more. */
@SpringBootTest
@AutoConfigureMockMvc
class ActuatorExposureTest {

    @Autowired
    private MockMvcTester mvc;

    @Test
    void livenessAndReadinessGroupsAreUp() {
        assertThat(mvc.get().uri("/actuator/health/liveness")).hasStatusOk()
                .bodyJson().extractingPath("$.status").isEqualTo("UP");
        assertThat(mvc.get().uri("/actuator/health/readiness")).hasStatusOk()
                .bodyJson().extractingPath("$.status").isEqualTo("UP");
    }

    @Test
    void prometheusScrapeHasRequestLatencyHistogramBuckets() {
        assertThat(mvc.get().uri("/actuator/health/liveness")).hasStatusOk();
        assertThat(mvc.get().uri("/actuator/prometheus")).hasStatusOk()
                .bodyText().contains("http_server_requests_seconds_bucket{");
    }

    @Test
    void noOtherActuatorEndpointIsExposed() {
        for (String endpoint : new String[] {"env", "beans", "configprops", "heapdump", "threaddump", "loggers",
                "mappings", "metrics", "info", "shutdown"}) {
            assertThat(mvc.get().uri("/actuator/" + endpoint)).as(endpoint).hasStatus(404);
        }
    }

    @Test
    void healthShowsNoDetails() {
        assertThat(mvc.get().uri("/actuator/health")).hasStatusOk()
                .bodyText().doesNotContain("components", "diskSpace");
    }
}
