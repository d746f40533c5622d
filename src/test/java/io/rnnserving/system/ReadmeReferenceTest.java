package io.rnnserving.system;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rnnserving.RunningServer;
import io.rnnserving.problem.ProblemKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's lists of problem types and of the service's own metrics are what the service has. */
class ReadmeReferenceTest {
    private static final Pattern RNN_METRIC = Pattern.compile("(?m)^# TYPE (rnn_[a-z_]+) ");

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void readmeListsEveryProblemType() throws IOException {
        String errors = readme().substring(readme().indexOf("**Errors**"));
        assertThat(Arrays.stream(ProblemKind.values()).map(kind -> kind.slug() + "`"))
                .allSatisfy(slug -> assertThat(errors.substring(0, errors.indexOf(":\n"))).contains(slug));
    }

    @Test
    void readmeMetricsSectionListsEveryRnnMetricTheServiceExposes() throws Exception {
        String scrape;
        try (RunningServer server = RunningServer.start()) {
            // the batch histograms are registered by a protocol's first call
            server.client().send(HttpRequest.newBuilder(server.uri("/predict"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"x\": [[[0.1, 0.2, 0.3]]]}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            scrape = server.client().send(HttpRequest.newBuilder(server.uri("/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        Set<String> exposed = new TreeSet<>();
        Matcher metric = RNN_METRIC.matcher(scrape);
        while (metric.find()) {
            exposed.add(metric.group(1));
        }
        String section = readme().substring(readme().indexOf("## Metrics"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> documented = new TreeSet<>();
        Matcher name = Pattern.compile("\\| `(rnn_[a-z_]+)` ").matcher(section);
        while (name.find()) {
            documented.add(name.group(1));
        }

        // a histogram's families are its _count, _sum, _max and _bucket: the README gives the base name
        assertThat(exposed).as("rnn_* metric families exposed").isNotEmpty()
                .allSatisfy(family -> assertThat(documented).anySatisfy(doc -> assertThat(family).startsWith(doc)));
        assertThat(documented).allSatisfy(doc -> assertThat(exposed).anySatisfy(f -> assertThat(f).startsWith(doc)));
        assertThat(scrape).as("rnn_problems_total has a HELP text")
                .containsPattern("(?m)^# HELP rnn_problems_total \\S+");
    }
}
