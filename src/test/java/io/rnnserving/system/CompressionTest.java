package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Compressed request bodies on every POST endpoint, the body limit counted on the decompressed bytes, unknown
 * encodings refused, and compressed answers for clients that accept them. The reference answer of each case is the
 * same request sent uncompressed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rnn-serving.limits.max-body-size=64KB")
class CompressionTest {
    private static final String MODEL = "notebook-simple-rnn";
    private static final String X = "[[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],[1.3,1.4,1.5],"
            + "[1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]]";
    private static final String PREDICT = "{\"x\": " + X + "}";
    private static final String INFER = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 3], \"datatype\": \"FP64\","
            + " \"data\": " + X + "}]}";
    private static final String TF_PREDICT = "{\"instances\": " + X + "}";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void gzipBodiesAreServedOnEveryPostEndpointAsTheirUncompressedSelves() throws Exception {
        for (String[] endpoint : new String[][] {{"/predict", PREDICT}, {"/v2/models/" + MODEL + "/infer", INFER},
                {"/v1/models/" + MODEL + ":predict", TF_PREDICT}}) {
            HttpResponse<String> plain = post(endpoint[0], bytes(endpoint[1]), null);
            HttpResponse<String> gzip = post(endpoint[0], gzip(bytes(endpoint[1])), "gzip");
            assertThat(plain.statusCode()).as(endpoint[0]).isEqualTo(200);
            assertThat(gzip.statusCode()).as(endpoint[0]).isEqualTo(200);
            assertThat(gzip.body()).as(endpoint[0]).isEqualTo(plain.body());
        }
    }

    @Test
    void deflateBodiesAreServedAsZlibAndAsRawDeflate() throws Exception {
        String plain = post("/predict", bytes(PREDICT), null).body();
        HttpResponse<String> zlib = post("/predict", deflate(bytes(PREDICT), false), "deflate");
        HttpResponse<String> raw = post("/predict", deflate(bytes(PREDICT), true), "Deflate");
        assertThat(zlib.statusCode()).isEqualTo(200);
        assertThat(zlib.body()).isEqualTo(plain);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(plain);
    }

    @Test
    void gzipBinaryTensorDataCountsItsJsonLengthInDecompressedBytes() throws Exception {
        // tritonclient compresses the whole body and keeps Inference-Header-Content-Length for the JSON as written
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 3], \"datatype\": \"FP64\","
                + " \"parameters\": {\"binary_data_size\": 240}}]}";
        ByteBuffer tensor = ByteBuffer.allocate(240).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= 30; i++) {
            tensor.putDouble(i / 10.0);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(bytes(json));
        body.write(tensor.array());
        HttpRequest request = request("/v2/models/" + MODEL + "/infer", gzip(body.toByteArray()), "gzip")
                .header("Inference-Header-Content-Length", Integer.toString(bytes(json).length)).build();
        HttpResponse<String> binary = http.send(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> plain = post("/v2/models/" + MODEL + "/infer", bytes(INFER), null);
        assertThat(binary.statusCode()).isEqualTo(200);
        assertThat(binary.body()).isEqualTo(plain.body());
    }

    @Test
    void aDecompressionBombIsRefusedWith413AtTheLimit() throws Exception {
        // 64 MB of white space inside valid JSON, some 64 KB of gzip: the limit is 64 KB decompressed
        byte[] predictBomb = bomb(PREDICT);
        byte[] inferBomb = bomb(INFER);
        assertThat(predictBomb.length).isLessThan(80 * 1024);
        long start = System.nanoTime();
        HttpResponse<String> predict = post("/predict", predictBomb, "gzip");
        HttpResponse<String> infer = post("/v2/models/" + MODEL + "/infer", inferBomb, "gzip");
        assertThat(predict.statusCode()).isEqualTo(413);
        assertThat(predict.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(predict.body()).contains("urn:rnn-serving:problem:body-too-large")
                .contains("decompressed from gzip, is larger than the limit of 65536 bytes");
        assertThat(infer.statusCode()).isEqualTo(413);
        assertThat(infer.body()).startsWith("{\"error\":").contains("larger than the limit of 65536 bytes");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBodyWithinTheLimitDecompressedIsServedThoughItsCompressedFormIsSmaller() throws Exception {
        String body = "{\"x\": " + X + " " + " ".repeat(60 * 1024) + "}";
        assertThat(post("/predict", gzip(bytes(body)), "gzip").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownEncodingIs415InEachEndpointsErrorFormat() throws Exception {
        HttpResponse<String> predict = post("/predict", bytes(PREDICT), "br");
        assertThat(predict.statusCode()).isEqualTo(415);
        assertThat(predict.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(predict.body()).contains("urn:rnn-serving:problem:unsupported-media-type")
                .contains("Content-Encoding 'br' is not served");
        HttpResponse<String> infer = post("/v2/models/" + MODEL + "/infer", bytes(INFER), "compress");
        assertThat(infer.statusCode()).isEqualTo(415);
        assertThat(infer.body()).startsWith("{\"error\":").contains("'compress'");
        HttpResponse<String> tf = post("/v1/models/" + MODEL + ":predict", bytes(TF_PREDICT), "zstd");
        assertThat(tf.statusCode()).isEqualTo(415);
        assertThat(tf.body()).startsWith("{\"error\":").contains("'zstd'");
    }

    @Test
    void aCorruptGzipBodyIs400SayingItCannotBeDecompressed() throws Exception {
        byte[] gzip = gzip(bytes(PREDICT));
        byte[] truncated = java.util.Arrays.copyOf(gzip, gzip.length / 2);
        HttpResponse<String> cut = post("/predict", truncated, "gzip");
        HttpResponse<String> notGzip = post("/predict", bytes(PREDICT), "gzip");
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(cut.body()).contains("cannot be decompressed");
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(notGzip.body()).contains("cannot be decompressed");
    }

    @Test
    void aLargeAnswerIsGzippedForAClientThatAcceptsIt() throws Exception {
        String traced = "{\"x\": [" + (X.substring(1, X.length() - 1) + ",").repeat(20) + X.substring(1, X.length() - 1)
                + "], \"trace\": true}";
        HttpResponse<String> plain = post("/predict", bytes(traced), null);
        HttpRequest request = request("/predict", bytes(traced), null).header("Accept-Encoding", "gzip").build();
        HttpResponse<byte[]> compressed = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(compressed.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(compressed.body().length).isLessThan(plain.body().length() / 2);
        assertThat(new String(new GZIPInputStream(new java.io.ByteArrayInputStream(compressed.body())).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(plain.body());
    }

    @Test
    void aSmallAnswerIsSentAsItIs() throws Exception {
        HttpRequest request = request("/predict", bytes(PREDICT), null).header("Accept-Encoding", "gzip").build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    }

    private HttpResponse<String> post(String path, byte[] body, String encoding) throws IOException,
            InterruptedException {
        return http.send(request(path, body, encoding).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, byte[] body, String encoding) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return encoding == null ? builder : builder.header("Content-Encoding", encoding);
    }

    /** The JSON with 64 MB of white space before its closing brace, gzipped. */
    private static byte[] bomb(String json) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(compressed)) {
            out.write(bytes(json.substring(0, json.length() - 1)));
            byte[] spaces = bytes(" ".repeat(1 << 20));
            for (int i = 0; i < 64; i++) {
                out.write(spaces);
            }
            out.write(bytes("}"));
        }
        return compressed.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] body, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            deflate.write(body);
        }
        return out.toByteArray();
    }
}
