package io.rnnserving.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import io.rnnserving.Prerequisite;
import io.rnnserving.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Replays the transcripts of docs/protocols.md and expects the output the page shows: the answer's body, and its
 * status where the transcript asks curl for it. Those of the default model (everything before the model repository
 * section) run against this test's server, the repository's against a server of a repository set up as the page
 * says; the curl-only ones are replayed in Java, the others in bash as the page runs them.
 */
@RunningService
class ProtocolTranscriptsTest {
    private static final Path PAGE = Path.of("docs/protocols.md");
    private static final String DEFAULT_MODEL_PART_ENDS = "## The model repository on both protocols";
    private static final Pattern CONSOLE_BLOCK = Pattern.compile("```console\\n(.*?)```", Pattern.DOTALL);
    private static final String STATUS_FORMAT = " %{http_code}\\n";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    /** One {@code $ curl ...} command of a transcript and the lines it printed. */
    record Transcript(String command, List<String> arguments, String output) {
    }

    @Test
    void everyCurlTranscriptOfTheDefaultModelPrintsWhatThePageShows() throws Exception {
        List<Transcript> transcripts = curlTranscripts(defaultModelPart());
        assertThat(transcripts).as("curl transcripts in %s", PAGE).hasSizeGreaterThanOrEqualTo(20);
        SoftAssertions outputs = new SoftAssertions();
        for (Transcript transcript : transcripts) {
            outputs.assertThat(run(transcript.arguments())).as("output of\n$ %s", transcript.command())
                    .isEqualTo(transcript.output());
        }
        outputs.assertAll();
    }

    /**
     * The binary tensor data transcripts, run as the page runs them (bash, python3, curl, od) in a scratch folder:
     * each {@code $ cat FILE} writes the file it shows, the rest are run and their output (stdout and stderr) compared.
     */
    @Test
    void everyBinaryTranscriptPrintsWhatThePageShows(@TempDir Path folder) throws Exception {
        requirePrograms("bash", "python3", "curl", "od");
        Files.createSymbolicLink(folder.resolve("scripts"), Path.of("scripts").toAbsolutePath());
        List<Transcript> transcripts = shellTranscripts(defaultModelPart());
        assertThat(transcripts).as("binary transcripts in %s", PAGE).hasSizeGreaterThanOrEqualTo(10);
        SoftAssertions outputs = new SoftAssertions();
        replayInShell(transcripts, folder, port, Map.of(), outputs);
        outputs.assertAll();
    }

    /**
     * The model repository section, in the page's order: a repository of {@code notebook/1} (the default model) and
     * {@code rnn/1}, {@code notebook/2} renamed in and swapped in for version 1, the transcripts, then
     * {@code notebook/3} (a model JSON cut after 500 bytes) and the transcripts after it.
     */
    @Test
    void everyModelRepositoryTranscriptPrintsWhatThePageShows(@TempDir Path folder) throws Exception {
        requirePrograms("bash", "curl", "jq");
        Path models = folder.resolve("models");
        Path notebook = models.resolve("notebook");
        Files.createDirectories(notebook.resolve("1"));
        Files.createDirectories(models.resolve("rnn/1"));
        Files.copy(Path.of("src/main/resources/models/notebook-simple-rnn.json"), notebook.resolve("1/model.json"));
        Files.copy(Path.of("src/test/resources/keras/rnn_tanh_dense.keras"), models.resolve("rnn/1/model.keras"));
        String section = repositorySection();
        int failedVersion = section.indexOf(FAILED_VERSION_PARAGRAPH);
        assertThat(failedVersion).as("the paragraph on notebook/3 in %s", PAGE).isPositive();
        Map<String, String> environment = Map.of("X", SEQUENCE_AS_FP64_X);

        try (RunningServer server = RunningServer.start("--model.repository=" + models, "--model.poll-interval=200ms",
                "--rnn-serving.management.token=s3cret")) {
            String first = Files.readString(notebook.resolve("1/model.json"));
            String second = first.replace("\"bias\": [0.1, -0.1]", "\"bias\": [1.1, -0.1]");
            assertThat(second).as("the notebook model's Dense bias, as the README's sed finds it").isNotEqualTo(first);
            renameIn(notebook, 2, second);
            awaitModels(server, "{\"name\":\"notebook\",\"versions\":[{\"version\":1,\"state\":\"END\"},"
                    + "{\"version\":2,\"state\":\"AVAILABLE\"}]}");

            SoftAssertions outputs = new SoftAssertions();
            List<Transcript> beforeFailure = transcripts(section.substring(0, failedVersion));
            List<Transcript> afterFailure = transcripts(section.substring(failedVersion));
            assertThat(beforeFailure).hasSizeGreaterThanOrEqualTo(10);
            assertThat(afterFailure).hasSizeGreaterThanOrEqualTo(4);
            replayInShell(beforeFailure, folder, server.port(), environment, outputs);
            renameIn(notebook, 3, first.substring(0, 500));
            awaitModels(server, "{\"version\":3,\"state\":\"FAILED\"");
            List<Transcript> shown = afterFailure.stream().map(t -> new Transcript(t.command(), t.arguments(),
                    t.output().replace(PAGE_REPOSITORY, models.toString()))).toList();
            replayInShell(shown, folder, server.port(), environment, outputs);
            outputs.assertAll();
        }
    }

    private static final String FAILED_VERSION_PARAGRAPH = "A version that cannot be served";
    /** Where the page's repository was; the replay's is in a scratch folder. */
    private static final String PAGE_REPOSITORY = "/tmp/readme-demo/models";
    /** The page's {@code X}: the README's sequence as one FP64 {@code x} of shape [1, 10, 3]. */
    private static final String SEQUENCE_AS_FP64_X = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 3], "
            + "\"datatype\": \"FP64\", \"data\": [0.1,0.2,0.3, 0.4,0.5,0.6, 0.7,0.8,0.9, 1.0,1.1,1.2, 1.3,1.4,1.5, "
            + "1.6,1.7,1.8, 1.9,2.0,2.1, 2.2,2.3,2.4, 2.5,2.6,2.7, 2.8,2.9,3.0]}]}";

    private static void requirePrograms(String... programs) {
        for (String program : programs) {
            Prerequisite.require(Prerequisite.onPath(program),
                    program + " is needed to replay the transcripts of " + PAGE + " as the page runs them");
        }
    }

    /** Writes a version into a hidden folder and renames it in, as the README does, so that it appears whole. */
    private static void renameIn(Path model, int version, String json) throws IOException {
        Path incoming = model.resolve(".incoming");
        Files.createDirectories(incoming);
        Files.writeString(incoming.resolve("model.json"), json);
        Files.move(incoming, model.resolve(String.valueOf(version)));
    }

    private static void awaitModels(RunningServer server, String expected) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String models = "";
        while (System.nanoTime() < deadline) {
            models = server.client().send(HttpRequest.newBuilder(server.uri("/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (models.contains(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET /models never showed " + expected + "; last: " + models);
    }

    private static String repositorySection() throws IOException {
        String page = Files.readString(PAGE);
        int start = page.indexOf(DEFAULT_MODEL_PART_ENDS);
        int end = page.indexOf("\n## ", start + DEFAULT_MODEL_PART_ENDS.length());
        return page.substring(start, end < 0 ? page.length() : end);
    }

    /** Every transcript of the markdown, in order. */
    private static List<Transcript> transcripts(String markdown) {
        List<Transcript> transcripts = new ArrayList<>();
        Matcher block = CONSOLE_BLOCK.matcher(markdown);
        while (block.find()) {
            transcripts.addAll(commands(block.group(1)));
        }
        return transcripts;
    }

    /**
     * Runs each command in bash in the folder against the given port ({@code $ cat FILE} writes the file it shows
     * instead) and compares what it prints, stdout and stderr, with the transcript.
     */
    private static void replayInShell(List<Transcript> transcripts, Path folder, int port,
                                      Map<String, String> environment, SoftAssertions outputs) throws Exception {
        for (Transcript transcript : transcripts) {
            if (transcript.arguments().size() == 2 && transcript.arguments().get(0).equals("cat")) {
                Files.writeString(folder.resolve(transcript.arguments().get(1)), transcript.output() + "\n");
                continue;
            }
            ProcessBuilder command = new ProcessBuilder("bash", "-c",
                    transcript.command().replace("localhost:8080", "localhost:" + port))
                    .directory(folder.toFile()).redirectErrorStream(true);
            command.environment().putAll(environment);
            Process shell = command.start();
            String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            outputs.assertThat(shell.waitFor()).as("exit status of\n$ %s\n%s", transcript.command(), printed).isZero();
            outputs.assertThat(asShown(printed)).as("output of\n$ %s", transcript.command())
                    .isEqualTo(asShown(transcript.output()));
        }
    }

    /** Output as a terminal shows it, whatever column widths this machine's od uses: CRLF as LF, spaces as one. */
    private static String asShown(String output) {
        return output.replace("\r\n", "\n").replaceAll(" +", " ").strip();
    }

    @Test
    void everyConsoleBlockHoldsACommand() throws IOException {
        Matcher block = CONSOLE_BLOCK.matcher(Files.readString(PAGE));
        while (block.find()) {
            assertThat(block.group(1)).as("a console block of %s", PAGE).contains("$ ");
        }
    }

    private static String defaultModelPart() throws IOException {
        String page = Files.readString(PAGE);
        int end = page.indexOf(DEFAULT_MODEL_PART_ENDS);
        assertThat(end).as("%s has its section '%s'", PAGE, DEFAULT_MODEL_PART_ENDS).isPositive();
        return page.substring(0, end);
    }

    /** The transcripts whose every command is curl with a JSON body: replayed in Java, no other program needed. */
    static List<Transcript> curlTranscripts(String markdown) {
        List<Transcript> transcripts = new ArrayList<>();
        Matcher block = CONSOLE_BLOCK.matcher(markdown);
        while (block.find()) {
            List<Transcript> inBlock = commands(block.group(1));
            if (jsonCurlOnly(inBlock)) {
                transcripts.addAll(inBlock);
            }
        }
        return transcripts;
    }

    /** The other transcripts: the binary tensor data ones, whose bodies are files made by other commands. */
    static List<Transcript> shellTranscripts(String markdown) {
        List<Transcript> transcripts = new ArrayList<>();
        Matcher block = CONSOLE_BLOCK.matcher(markdown);
        while (block.find()) {
            List<Transcript> inBlock = commands(block.group(1));
            if (!jsonCurlOnly(inBlock)) {
                transcripts.addAll(inBlock);
            }
        }
        return transcripts;
    }

    private static boolean jsonCurlOnly(List<Transcript> block) {
        return block.stream().allMatch(t -> t.arguments().get(0).equals("curl")
                && !t.arguments().contains("--data-binary"));
    }

    /** Splits a console block into its commands ({@code $ } lines and their quoted continuations) and outputs. */
    static List<Transcript> commands(String block) {
        List<Transcript> commands = new ArrayList<>();
        String[] lines = block.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            if (!lines[i].startsWith("$ ")) {
                i++;
                continue;
            }
            StringBuilder command = new StringBuilder(lines[i].substring(2));
            List<String> arguments = ShellWords.split(command.toString());
            while (arguments == null) {
                command.append('\n').append(lines[++i]);
                arguments = ShellWords.split(command.toString());
            }
            StringBuilder output = new StringBuilder();
            i++;
            while (i < lines.length && !lines[i].startsWith("$ ")) {
                output.append(lines[i]).append('\n');
                i++;
            }
            commands.add(new Transcript(command.toString(), arguments, output.toString().stripTrailing()));
        }
        return commands;
    }

    /** What curl prints for these arguments, against this test's server instead of localhost:8080. */
    private String run(List<String> arguments) throws IOException, InterruptedException {
        String method = null;
        String body = null;
        String writeOut = null;
        String url = null;
        List<String[]> headers = new ArrayList<>();
        for (int a = 1; a < arguments.size(); a++) {
            String argument = arguments.get(a);
            switch (argument) {
                case "-s" -> { }
                case "-X" -> method = arguments.get(++a);
                case "-d" -> body = arguments.get(++a);
                case "-w" -> writeOut = arguments.get(++a);
                case "-H" -> headers.add(arguments.get(++a).split(": ", 2));
                default -> {
                    assertThat(argument).as("a curl argument this replay knows").startsWith("localhost:8080/");
                    url = argument;
                }
            }
        }
        assertThat(url).as("the transcript's URL").isNotNull();
        if (writeOut != null) {
            assertThat(writeOut).as("curl's -w format").isEqualTo(STATUS_FORMAT);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + url.substring("localhost:8080".length())));
        boolean contentTypeGiven = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Content-Type"));
        if (body != null && !contentTypeGiven) {
            request.header("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
        }
        headers.forEach(h -> request.header(h[0], h[1]));
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        request.method(method != null ? method : body != null ? "POST" : "GET", publisher);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return (response.body() + (writeOut != null ? " " + response.statusCode() : "")).stripTrailing();
    }

    /** The POSIX shell's word splitting for what these transcripts use: quotes, backslash-newline, spaces. */
    static final class ShellWords {
        private ShellWords() {
        }

        /** The words of a command, or null while a quote is still open (the command goes on on the next line). */
        static List<String> split(String command) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            for (int i = 0; i < command.length(); i++) {
                char c = command.charAt(i);
                if (c == '\'' || c == '"') {
                    int close = command.indexOf(c, i + 1);
                    if (close < 0) {
                        return null;
                    }
                    word = word == null ? new StringBuilder() : word;
                    word.append(command, i + 1, close);
                    i = close;
                } else if (c == '\\' && i + 1 < command.length() && command.charAt(i + 1) == '\n') {
                    i++;
                } else if (c == '\\' && i + 1 == command.length()) {
                    return null;
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
