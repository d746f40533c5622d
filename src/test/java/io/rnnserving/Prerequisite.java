package io.rnnserving;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Something a test needs beyond a JDK (a browser, npm, the team's ../shared fixtures): without it the test is skipped
 * with the reason on a developer machine and fails in CI (the CI variable set), where .ci/run provides it.
 */
public final class Prerequisite {
    /** The team's real Keras-saved files, beside the project in CI only (see its PROVENANCE.txt). */
    public static final Path SHARED_KERAS_FIXTURES = Path.of("../shared/fixtures/keras");

    private Prerequisite() {
    }

    public static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if (inCi()) {
            fail(missing + " (required under CI=true)");
        }
        assumeTrue(false, missing + ": skipped outside CI");
    }

    public static void requireSharedKerasFixtures() {
        require(Files.isDirectory(SHARED_KERAS_FIXTURES), SHARED_KERAS_FIXTURES
                + " is missing: the compatibility suite over the team's third-party Keras files runs where it exists");
    }

    public static boolean inCi() {
        return System.getenv("CI") != null;
    }

    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
