package io.rnnserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** What the manifests and the smoke script rely on; the lint is scripts/lint-dockerfile.sh. */
class DockerfileTest {

    private final String dockerfile = DeployFiles.read("Dockerfile");
    private final List<String> instructions = dockerfile.lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();

    @Test
    void runtimeImageRunsAsAFixedNonRootUid() {
        assertThat(DeployFiles.dockerfileUid()).isGreaterThanOrEqualTo(1000);
        assertThat(dockerfile).containsPattern("(?m)^USER " + DeployFiles.dockerfileUid() + ":\\d+$");
    }

    @Test
    void userComesAfterTheLastFromAndBeforeTheEntrypoint() {
        int lastFrom = lastIndexStartingWith("FROM ");
        int user = lastIndexStartingWith("USER ");
        int entrypoint = lastIndexStartingWith("ENTRYPOINT ");
        assertThat(user).isGreaterThan(lastFrom).isLessThan(entrypoint);
    }

    @Test
    void exposesPort8080() {
        assertThat(instructions).contains("EXPOSE 8080");
    }

    @Test
    void buildsFromSourceInOneStageAndRunsOnAJreInAnother() {
        List<String> froms = instructions.stream().filter(line -> line.startsWith("FROM ")).toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).endsWith(" AS build");
        assertThat(froms.get(1)).contains("-jre");
        assertThat(dockerfile).contains("./mvnw").contains("COPY src/ src/");
    }

    @Test
    void runtimeStageCopiesBootsLayersInOrderOfChange() {
        List<String> copies = instructions.stream().filter(line -> line.startsWith("COPY --from=build")).toList();
        assertThat(copies).extracting(line -> line.replaceAll(".*/extracted/([a-z-]+)/.*", "$1"))
                .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(dockerfile).contains("-Djarmode=tools").contains("extract --layers");
    }

    @Test
    void entrypointIsExecFormSoJavaGetsSigterm() {
        assertThat(instructions.get(lastIndexStartingWith("ENTRYPOINT ")))
                .matches(Pattern.compile("ENTRYPOINT \\[\".*\"]"));
    }

    @Test
    void jvmOptionsAreSetOnceInJdkJavaOptionsForAPlainJavaJarEntrypoint() {
        assertThat(instructions.get(lastIndexStartingWith("ENTRYPOINT ")))
                .isEqualTo("ENTRYPOINT [\"java\", \"-jar\", \"application.jar\"]");
        assertThat(instructions).filteredOn(line -> line.startsWith("ENV JDK_JAVA_OPTIONS="))
                .singleElement().asString().contains("--add-modules jdk.incubator.vector");
        assertThat(dockerfile.split("add-modules", -1)).as("the Vector API flag, once").hasSize(2);
    }

    @Test
    void jvmHeapFollowsTheContainerMemoryLimit() {
        assertThat(dockerfile).contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void dockerignoreLeavesOutEverythingTheBuildDoesNotCopy() {
        List<String> ignored = DeployFiles.read(".dockerignore").lines().map(String::strip).toList();
        assertThat(ignored).contains("*", "!mvnw", "!pom.xml", "!.mvn/", "!src/");
    }

    private int lastIndexStartingWith(String prefix) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix.strip() + " in the Dockerfile");
    }
}
