package io.rnnserving;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

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

    public static RunningServer start() {
        return start(new String[0]);
    }

    /** @param arguments more command-line arguments, such as {@code --model.path=…} */
    public static RunningServer start(String... arguments) {
        String[] all = new String[arguments.length + 3];
        all[0] = "--server.port=0";
        all[1] = "--server.address=127.0.0.1";
        all[2] = "--spring.main.banner-mode=off";
        System.arraycopy(arguments, 0, all, 3, arguments.length);
        return new RunningServer(SpringApplication.run(RnnServingApplication.class, all));
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        context.close();
    }
}
