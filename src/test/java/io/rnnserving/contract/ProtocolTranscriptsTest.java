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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import io.rnnserving.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Replays the transcripts of docs/protocols.md that run against the default model (everything before its model
 * repository section, which needs a repository of several versions) and expects, byte for byte, the output the page
 * shows: the answer's body, and its status where the transcript asks curl for it.
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
        Prerequisite.require(Prerequisite.onPath("bash") && Prerequisite.onPath("python3") && Prerequisite.onPath("curl")
                && Prerequisite.onPath("od"), "bash, python3, curl and od are needed to replay the page's binary transcripts");
        Files.createSymbolicLink(folder.resolve("scripts"), Path.of("scripts").toAbsolutePath());
        List<Transcript> transcripts = shellTranscripts(defaultModelPart());
        assertThat(transcripts).as("binary transcripts in %s", PAGE).hasSizeGreaterThanOrEqualTo(10);
        SoftAssertions outputs = new SoftAssertions();
        for (Transcript transcript : transcripts) {
            if (transcript.arguments().size() == 2 && transcript.arguments().get(0).equals("cat")) {
                Files.writeString(folder.resolve(transcript.arguments().get(1)), transcript.output() + "\n");
                continue;
            }
            Process shell = new ProcessBuilder("bash", "-c",
                    transcript.command().replace("localhost:8080", "localhost:" + port))
                    .directory(folder.toFile()).redirectErrorStream(true).start();
            String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            outputs.assertThat(shell.waitFor()).as("exit status of\n$ %s\n%s", transcript.command(), printed).isZero();
            outputs.assertThat(asShown(printed)).as("output of\n$ %s", transcript.command())
                    .isEqualTo(asShown(transcript.output()));
        }
        outputs.assertAll();
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
