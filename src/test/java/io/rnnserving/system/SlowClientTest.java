package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A bounded slowloris: 50 sockets drip a body for 10 s while normal requests keep answering quickly. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowClientTest {
    private static final int SLOW_CLIENTS = 50;
    private static final long SLOW_FOR_MILLIS = 10_000;

    @LocalServerPort
    int port;

    @Test
    void slowClientsDoNotBlockOthers() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        post(client);
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"x\": [[").getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            drip.scheduleAtFixedRate(() -> slow.forEach(SlowClientTest::sendOneSpace), 500, 500, TimeUnit.MILLISECONDS);

            long end = System.currentTimeMillis() + SLOW_FOR_MILLIS;
            List<Long> latencies = new ArrayList<>();
            while (System.currentTimeMillis() < end) {
                long started = System.nanoTime();
                post(client);
                latencies.add((System.nanoTime() - started) / 1_000_000);
                Thread.sleep(100);
            }
            latencies.sort(null);
            long median = latencies.get(latencies.size() / 2);
            long slowest = latencies.get(latencies.size() - 1);
            System.out.println("with " + SLOW_CLIENTS + " slow clients: " + latencies.size() + " normal requests, median "
                    + median + " ms, slowest " + slowest + " ms");
            assertThat(latencies).hasSizeGreaterThanOrEqualTo(20);
            assertThat(median).as("median normal request, ms").isLessThan(500);
            // generous for a shared 2-core machine; a blocked server would hit the 5 s timeout instead
            assertThat(slowest).as("slowest normal request, ms").isLessThan(3_000);
        } finally {
            drip.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private void post(HttpClient client) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/predict"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\": [[[0.1, 0.2, 0.3]]]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static void sendOneSpace(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(' ');
            out.flush();
        } catch (IOException e) {
            // the server may drop a slow client; that is allowed
        }
    }
}
