package io.rnnserving.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/** Reads the Dockerfile and the manifests under deploy/ from the project root (Surefire's working directory). */
final class DeployFiles {

    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$");

    private DeployFiles() {
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> yaml(String path) {
        return new Yaml().load(read(path));
    }

    /** The numeric UID of the Dockerfile's last USER instruction, the one the runtime image runs as. */
    static long dockerfileUid() {
        Matcher matcher = USER.matcher(read("Dockerfile"));
        String uid = null;
        while (matcher.find()) {
            uid = matcher.group(1);
        }
        return Long.parseLong(Objects.requireNonNull(uid, "Dockerfile has no numeric USER"));
    }

    /** Follows keys and list indexes through nested YAML maps and lists. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (step instanceof Integer index) {
                current = ((List<Object>) current).get(index);
            } else {
                current = ((Map<String, Object>) current).get(step);
            }
            if (current == null) {
                throw new AssertionError("nothing at " + List.of(path) + " (missing " + step + ")");
            }
        }
        return (T) current;
    }
}
