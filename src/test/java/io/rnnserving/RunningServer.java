package io.rnnserving;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application on a random loopback port, with a client for it: for property tests, whose jqwik containers
 * Spring's test support does not reach.
 */
public final class RunningServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final HttpClient client;
    private final int port;

    private RunningServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** @param arguments more command-line arguments, such as {@code --model.repository=...} */
    public static RunningServer start(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off"));
        all.addAll(List.of(arguments));
        return new RunningServer(SpringApplication.run(RnnServingApplication.class, all.toArray(String[]::new)));
    }

    public HttpClient client() {
        return client;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        context.close();
    }
}
