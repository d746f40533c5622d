package io.rnnserving.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** GET /: KServe V1's liveness answer for API clients, the trace page for browsers, and nothing else from afar. */
class RootPathTest {
    /** What Chromium and Firefox send for a page. */
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Nested
    @SpringBootTest
    @AutoConfigureMockMvc
    class UiEnabled {
        @Autowired
        MockMvcTester mvc;

        @Autowired
        ApplicationContext context;

        @Test
        void jsonClientsGetKServesLivenessAnswer() {
            for (String accept : new String[] {"application/json", "*/*", "application/json, text/html;q=0.9"}) {
                MvcTestResult result = mvc.get().uri("/").header("Accept", accept).exchange();
                assertThat(result).as(accept).hasStatusOk().hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                        .bodyJson().isStrictlyEqualTo("{\"status\": \"alive\"}");
            }
        }

        @Test
        void aClientThatSendsNoAcceptHeaderGetsTheLivenessAnswer() {
            assertThat(mvc.get().uri("/")).hasStatusOk().hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                    .bodyJson().isStrictlyEqualTo("{\"status\": \"alive\"}");
        }

        @Test
        void aBrokenApplicationIsNotAlive() {
            AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
            try {
                assertThat(mvc.get().uri("/").header("Accept", "application/json")).hasStatus(503)
                        .bodyJson().isStrictlyEqualTo(RootLivenessApi.NOT_ALIVE_EXAMPLE);
            } finally {
                AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            }
        }

        @Test
        void browsersGetThePageUnderAPolicyOfThisServiceOnly() {
            for (String accept : new String[] {BROWSER_ACCEPT, "text/html"}) {
                MvcTestResult result = mvc.get().uri("/").header("Accept", accept).exchange();
                assertThat(result).as(accept).hasStatusOk().hasContentTypeCompatibleWith(MediaType.TEXT_HTML)
                        .bodyText().contains("<script src=\"ui/trace.js\" defer></script>");
                assertThat(result).headers().hasValue("Content-Security-Policy", UiConfiguration.CONTENT_SECURITY_POLICY);
            }
            assertThat(UiConfiguration.CONTENT_SECURITY_POLICY)
                    .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "*", "http:", "https:", "data:");
        }

        @Test
        void thePageHasNoInlineScriptOrStyleAndLoadsNothingFromOtherHosts() throws Exception {
            String page = mvc.get().uri("/").header("Accept", BROWSER_ACCEPT).exchange().getResponse()
                    .getContentAsString(StandardCharsets.UTF_8);
            Matcher script = Pattern.compile("<script([^>]*)>").matcher(page);
            int scripts = 0;
            while (script.find()) {
                scripts++;
                assertThat(script.group(1)).as("a script tag with its code in a file").contains(" src=\"");
            }
            assertThat(scripts).as("echarts and the page's script").isEqualTo(2);
            assertThat(page).doesNotContain("<style", " style=\"", "javascript:", "//")
                    .doesNotContainPattern(" on[a-z]+=");
        }

        @Test
        void thePagesFilesAndItsChartingLibraryAreServedByTheServiceItself() {
            for (String path : new String[] {"/ui/trace.js", "/ui/trace.css", "/ui/favicon.svg",
                    "/webjars/echarts/dist/echarts.min.js"}) {
                assertThat(mvc.get().uri(path)).as(path).hasStatusOk();
            }
        }
    }

    @Nested
    @SpringBootTest(properties = "rnn-serving.ui.enabled=false")
    @AutoConfigureMockMvc
    class UiDisabled {
        @Autowired
        MockMvcTester mvc;

        @Test
        void aBrowserGetsOnlyTheLivenessAnswer() {
            assertThat(mvc.get().uri("/").header("Accept", BROWSER_ACCEPT)).hasStatusOk()
                    .hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                    .bodyJson().isStrictlyEqualTo("{\"status\": \"alive\"}");
        }

        @Test
        void aRequestForHtmlOnlyIsNotAcceptable() {
            assertThat(mvc.get().uri("/").header("Accept", "text/html")).hasStatus(406)
                    .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson().isLenientlyEqualTo(RootLivenessApi.NOT_ACCEPTABLE_EXAMPLE);
        }

        @Test
        void nothingOfThePageIsServed() {
            assertThat(mvc.get().uri("/ui/trace.js")).hasStatus(404);
            assertThat(mvc.get().uri("/ui/index.html")).hasStatus(404);
        }
    }
}
