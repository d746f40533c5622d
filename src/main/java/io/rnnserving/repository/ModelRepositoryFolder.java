package io.rnnserving.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.rnnserving.loading.LoadedModel;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.loading.ModelLoadException;
import org.jspecify.annotations.Nullable;

/**
 * A folder laid out as {@code <folder>/<model name>/<version>/<model file(s)>}, as TensorFlow Serving's model base
 * path and Triton's model repository are. Entries whose names do not fit (hidden, temporary, not a number) are not
 * models or versions, so a version written under another name and renamed in appears whole.
 */
public final class ModelRepositoryFolder implements VersionSource {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** A version number as a folder name and in a path: a positive long of at most 18 digits. */
    public static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
    private static final String NO_MODEL_FILE = "no model file (expected model.keras, a Keras .h5, the service's "
            + ".json, or a .weights.h5 with its Keras config .json beside it)";

    private final Path root;

    public ModelRepositoryFolder(Path root) {
        this.root = root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public Map<String, List<VersionFiles>> scan() {
        if (!Files.isDirectory(root)) {
            throw new ModelLoadException(root + ": no such directory (model.repository)");
        }
        Map<String, List<VersionFiles>> models = new TreeMap<>();
        for (Path modelDir : children(root)) {
            String name = modelDir.getFileName().toString();
            if (!NAME.matcher(name).matches() || !Files.isDirectory(modelDir)) {
                continue;
            }
            List<VersionFiles> versions = new ArrayList<>();
            for (Path versionDir : children(modelDir)) {
                String version = versionDir.getFileName().toString();
                if (VERSION.matcher(version).matches() && Files.isDirectory(versionDir)) {
                    versions.add(new VersionFiles(Long.parseLong(version), versionDir.toString(),
                            fingerprint(versionDir), () -> read(versionDir)));
                }
            }
            models.put(name, versions);
        }
        return models;
    }

    /** Reads the model file(s) of one version directory. */
    static LoadedModel read(Path versionDir) {
        ModelFiles files = modelFiles(versionDir);
        return ModelFileReader.read(files.model(), files.config());
    }

    /** The file to read and, for a weights-only file, its config. */
    record ModelFiles(Path model, @Nullable Path config) {
    }

    /**
     * Chooses the model file(s) of a version directory: a .keras archive (model.keras among several), else a
     * .weights.h5 with the one .json beside it as its config, else a legacy .h5, else the service's .json.
     *
     * @throws ModelLoadException when there is none, or more than one of a kind
     */
    static ModelFiles modelFiles(Path versionDir) {
        List<Path> keras = new ArrayList<>();
        List<Path> weights = new ArrayList<>();
        List<Path> h5 = new ArrayList<>();
        List<Path> json = new ArrayList<>();
        for (Path file : children(versionDir)) {
            String name = file.getFileName().toString();
            if (name.startsWith(".") || !Files.isRegularFile(file)) {
                continue;
            }
            if (name.endsWith(".keras")) {
                keras.add(file);
            } else if (name.endsWith(".weights.h5")) {
                weights.add(file);
            } else if (name.endsWith(".h5")) {
                h5.add(file);
            } else if (name.endsWith(".json")) {
                json.add(file);
            }
        }
        if (keras.contains(versionDir.resolve("model.keras"))) {
            return new ModelFiles(versionDir.resolve("model.keras"), null);
        }
        if (!keras.isEmpty()) {
            return new ModelFiles(single(versionDir, keras, ".keras"), null);
        }
        if (!weights.isEmpty()) {
            Path weightsFile = single(versionDir, weights, ".weights.h5");
            if (json.isEmpty()) {
                throw new ModelLoadException(weightsFile + ": a weights-only file needs its Keras config .json beside it");
            }
            return new ModelFiles(weightsFile, single(versionDir, json, ".json config"));
        }
        if (!h5.isEmpty()) {
            return new ModelFiles(single(versionDir, h5, ".h5"), null);
        }
        if (!json.isEmpty()) {
            return new ModelFiles(single(versionDir, json, ".json"), null);
        }
        throw new ModelLoadException(versionDir + ": " + NO_MODEL_FILE);
    }

    private static Path single(Path dir, List<Path> files, String kind) {
        if (files.size() > 1) {
            throw new ModelLoadException(dir + ": " + files.size() + " " + kind + " files ("
                    + String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList())
                    + "); keep one per version");
        }
        return files.get(0);
    }

    /** Names, sizes and modification times of everything in the directory: what changes while files are written. */
    static List<String> fingerprint(Path versionDir) {
        List<String> stamps = new ArrayList<>();
        try (Stream<Path> files = Files.walk(versionDir, 4)) {
            for (Path file : files.sorted().toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(versionDir.relativize(file) + " " + attributes.size() + " "
                        + attributes.lastModifiedTime().toMillis());
            }
        } catch (IOException e) {
            // a file removed while walked: the version is changing, and differs from any earlier look
            stamps.add("unreadable " + System.nanoTime());
        }
        return stamps;
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
