package io.rnnserving.repository;

import static io.rnnserving.repository.RepositoryFiles.keras;
import static io.rnnserving.repository.RepositoryFiles.notebookFloat64;
import static io.rnnserving.repository.RepositoryFiles.notebookWithDenseBias;
import static io.rnnserving.repository.RepositoryFiles.writeVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.SequenceBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository core on real folders, polled by hand: loading, swapping, failing and releasing versions. */
class ModelRepositoryTest {
    @TempDir
    Path repo;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelRepository repository;

    @AfterEach
    void close() {
        if (repository != null) {
            repository.close();
        }
    }

    private ModelRepository start(String policy, String defaultModel) {
        repository = new ModelRepository(new ModelRepositoryFolder(repo), new ModelRepository.Settings(
                VersionPolicy.ByModel.parse(policy), defaultModel, Duration.ZERO, Duration.ZERO, EngineSettings.defaults()), meters);
        repository.start();
        return repository;
    }

    private ModelRepository start() {
        return start("latest", null);
    }

    /** The first output of the notebook model (or a variant) for a fixed sequence, run on the leased version. */
    private static double firstOutput(ModelVersion.Lease lease) {
        double[] x = new double[2 * 3];
        java.util.Arrays.fill(x, 0.25);
        return lease.served().model().predict(SequenceBatch.rectangular(x, 1, 2, 3)).output()[0];
    }

    private List<VersionStatus> versions(String model) {
        return repository.model(model).versions();
    }

    private static VersionStatus status(long version, VersionState state) {
        return new VersionStatus(version, state, null);
    }

    @Test
    void servesTheHighestVersionOfEachModelAndListsTheOthersAsEnded() {
        writeVersion(repo, "notebook", 1, "model.json", notebookFloat64());
        writeVersion(repo, "notebook", 2, "model.json", notebookWithDenseBias(1.1, -0.1));
        writeVersion(repo, "rnn", 7, "model.keras", keras("rnn_tanh_dense.keras", 1));
        start();

        assertThat(repository.models()).extracting(ModelStatus::name).containsExactly("notebook", "rnn");
        // latest: version 2 is the one loaded; version 1 was never loaded, so it is not listed
        assertThat(versions("notebook")).containsExactly(status(2, VersionState.AVAILABLE));
        assertThat(versions("rnn")).containsExactly(status(7, VersionState.AVAILABLE));
        assertThat(repository.ready()).isTrue();
        double one;
        double two;
        try (var lease = repository.acquireLatest("notebook")) {
            assertThat(lease.version()).isEqualTo(2);
            two = firstOutput(lease);
        }
        assertThatThrownBy(() -> repository.acquire("notebook", 1)).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model 'notebook' version 1 is not served; AVAILABLE versions: 2");
        // the same model from the embedded file, in float64 as version 2: its Dense bias is 1.0 lower in the first output
        repository.close();
        repository = new ModelRepository(new SingleModelSource(notebookInFloat64(),
                ModelRepositoryTest::notebookInFloat64), new ModelRepository.Settings(
                VersionPolicy.ByModel.LATEST_FOR_ALL, null, Duration.ZERO, Duration.ZERO, EngineSettings.defaults()), meters);
        repository.start();
        try (var lease = repository.acquireDefault()) {
            assertThat(lease.model()).isEqualTo("notebook-simple-rnn");
            assertThat(lease.version()).isEqualTo(1);
            one = firstOutput(lease);
        }
        assertThat(two - one).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aVersionBeingLoadedShowsLoadingWhileRequestsStillGetThePreviousOne() throws Exception {
        var reading = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var versions = new java.util.concurrent.CopyOnWriteArrayList<VersionFiles>();
        versions.add(new VersionFiles(1, "one", "1", () -> io.rnnserving.loading.ModelFileReader.readDefault()));
        VersionSource source = new VersionSource() {
            @Override
            public Map<String, List<VersionFiles>> scan() {
                return Map.of("m", List.copyOf(versions));
            }

            @Override
            public String location() {
                return "test";
            }
        };
        repository = new ModelRepository(source, new ModelRepository.Settings(VersionPolicy.ByModel.LATEST_FOR_ALL,
                null, Duration.ZERO, Duration.ZERO, EngineSettings.defaults()), meters);
        repository.start();
        versions.add(new VersionFiles(2, "two", "2", () -> {
            reading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return io.rnnserving.loading.ModelFileReader.readDefault();
        }));
        repository.poll();
        Thread poll = new Thread(repository::poll);
        poll.start();
        reading.await();
        assertThat(versions("m")).containsExactly(status(1, VersionState.AVAILABLE), status(2, VersionState.LOADING));
        try (var lease = repository.acquireLatest("m")) {
            assertThat(lease.version()).isEqualTo(1);
        }
        release.countDown();
        poll.join();
        assertThat(versions("m")).containsExactly(status(1, VersionState.END), status(2, VersionState.AVAILABLE));
        try (var lease = repository.acquireLatest("m")) {
            assertThat(lease.version()).isEqualTo(2);
        }
    }

    @Test
    void severalModelsWithoutADefaultRefuseTheUnnamedRequestListingThem() {
        writeVersion(repo, "a", 1, "model.json", notebookFloat64());
        writeVersion(repo, "b", 1, "model.json", notebookFloat64());
        start();
        assertThatThrownBy(() -> repository.acquireDefault()).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("name one of a, b");
        assertThatThrownBy(() -> repository.acquireLatest("c")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model 'c' is not served here; models: a, b");

        repository.close();
        start("latest", "b");
        try (var lease = repository.acquireDefault()) {
            assertThat(lease.model()).isEqualTo("b");
        }
    }

    @Test
    void aNewVersionIsReadOnlyOnceItsFilesAreUnchangedBetweenTwoPollsThenSwappedIn() throws IOException {
        writeVersion(repo, "notebook", 1, "model.json", notebookFloat64());
        start();
        // written in place, not renamed in: the first look sees it still changing
        Path two = Files.createDirectories(repo.resolve("notebook/2"));
        Files.writeString(two.resolve("model.json"), notebookWithDenseBias(1.1, -0.1));
        var held = repository.acquireLatest("notebook");
        repository.poll();
        assertThat(versions("notebook")).containsExactly(status(1, VersionState.AVAILABLE));

        repository.poll();
        assertThat(versions("notebook")).containsExactly(status(1, VersionState.UNLOADING),
                status(2, VersionState.AVAILABLE));
        try (var lease = repository.acquireLatest("notebook")) {
            assertThat(lease.version()).isEqualTo(2);
        }
        // the request that started on version 1 still runs on it
        assertThat(held.version()).isEqualTo(1);
        assertThat(Double.isFinite(firstOutput(held))).isTrue();
        held.close();
        assertThat(versions("notebook")).containsExactly(status(1, VersionState.END),
                status(2, VersionState.AVAILABLE));
        assertThat(meters.get("rnn.model.unloads").tag("model", "notebook").tag("version", "1").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("rnn.model.loads").tag("model", "notebook").tag("version", "2").counter().count())
                .isEqualTo(1);
        // a closed lease closed again changes nothing
        held.close();
        assertThat(meters.get("rnn.model.unloads").tag("version", "1").counter().count()).isEqualTo(1);
    }

    private void assertFailsLeavingVersionOneServing(String reason) {
        repository.poll();
        repository.poll();
        List<VersionStatus> versions = versions("notebook");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0)).isEqualTo(status(1, VersionState.AVAILABLE));
        assertThat(versions.get(1).version()).isEqualTo(2);
        assertThat(versions.get(1).state()).isEqualTo(VersionState.FAILED);
        assertThat(versions.get(1).reason()).contains(repo.resolve("notebook/2").toString()).contains(reason)
                .doesNotContain("\n");
        try (var lease = repository.acquireLatest("notebook")) {
            assertThat(lease.version()).isEqualTo(1);
        }
        assertThat(repository.ready()).isTrue();
    }

    @Test
    void aTruncatedKerasArchiveFailsAndLeavesThePreviousVersionServing() {
        writeVersion(repo, "notebook", 1, "model.json", notebookFloat64());
        start();
        writeVersion(repo, "notebook", 2, "model.keras", keras("rnn_tanh_dense.keras", 0.6));
        assertFailsLeavingVersionOneServing("model.keras: ");
    }

    @Test
    void aJsonOfTheWrongShapeFailsAndLeavesThePreviousVersionServing() {
        writeVersion(repo, "notebook", 1, "model.json", notebookFloat64());
        start();
        writeVersion(repo, "notebook", 2, "model.json", notebookFloat64().replace("\"units\": 2", "\"units\": 3"));
        assertFailsLeavingVersionOneServing("model.json: layers[1].kernel is 5×2 but the layer before gives 5 values "
                + "and the Dense has 3 units");
    }

    @Test
    void aVersionWithNoModelFileFailsAndLeavesThePreviousVersionServing() {
        writeVersion(repo, "notebook", 1, "model.json", notebookFloat64());
        start();
        writeVersion(repo, "notebook", 2, "README.txt", "weights to follow");
        assertFailsLeavingVersionOneServing("no model file");
    }

    @Test
    void aFailedVersionIsTriedOnceAndAgainOnlyWhenItsFilesChange() throws IOException {
        writeVersion(repo, "notebook", 1, "model.json", notebookFloat64());
        start();
        Path two = writeVersion(repo, "notebook", 2, "model.json", "{\"name\": \"half written");
        for (int i = 0; i < 5; i++) {
            repository.poll();
        }
        assertThat(meters.get("rnn.model.load.failures").tag("model", "notebook").tag("version", "2").counter().count())
                .isEqualTo(1);
        assertThat(versions("notebook").get(1).state()).isEqualTo(VersionState.FAILED);

        Files.writeString(two.resolve("model.json"), notebookWithDenseBias(0.5, 0.5));
        repository.poll();
        repository.poll();
        assertThat(versions("notebook")).containsExactly(status(1, VersionState.END), status(2, VersionState.AVAILABLE));
        assertThat(meters.get("rnn.model.load.failures").tag("version", "2").counter().count()).isEqualTo(1);
    }

    @Test
    void theAllAndSpecificPoliciesServeTheirVersionsAndRequestsWithoutOneTakeTheHighest() {
        for (long version = 1; version <= 3; version++) {
            writeVersion(repo, "a", version, "model.json", notebookWithDenseBias(version, 0));
            writeVersion(repo, "b", version, "model.json", notebookWithDenseBias(version, 0));
        }
        start("all; b=1,2", "a");
        assertThat(versions("a")).extracting(VersionStatus::state).containsOnly(VersionState.AVAILABLE).hasSize(3);
        assertThat(versions("b")).containsExactly(status(1, VersionState.AVAILABLE), status(2, VersionState.AVAILABLE));
        double[] outputs = new double[4];
        for (long version = 1; version <= 3; version++) {
            try (var lease = repository.acquire("a", version)) {
                outputs[(int) version] = firstOutput(lease);
            }
        }
        assertThat(outputs[2] - outputs[1]).isCloseTo(1.0, within(1e-12));
        assertThat(outputs[3] - outputs[1]).isCloseTo(2.0, within(1e-12));
        try (var lease = repository.acquireDefault()) {
            assertThat(lease.version()).isEqualTo(3);
        }
        try (var lease = repository.acquireLatest("b")) {
            assertThat(lease.version()).isEqualTo(2);
        }
    }

    @Test
    void aRemovedVersionIsUnloadedAndLatestFallsBackToTheOneBelow() throws IOException {
        writeVersion(repo, "notebook", 1, "model.json", notebookFloat64());
        Path two = writeVersion(repo, "notebook", 2, "model.json", notebookWithDenseBias(0, 0));
        start();
        Files.delete(two.resolve("model.json"));
        Files.delete(two);
        repository.poll();
        assertThat(versions("notebook")).containsExactly(status(1, VersionState.AVAILABLE),
                status(2, VersionState.END));
        // gone from disk and ended: forgotten at the next look
        repository.poll();
        assertThat(versions("notebook")).containsExactly(status(1, VersionState.AVAILABLE));
        try (var lease = repository.acquireLatest("notebook")) {
            assertThat(lease.version()).isEqualTo(1);
        }
    }

    @Test
    void unloadStopsServingAModelUntilItIsLoadedAgain() {
        writeVersion(repo, "a", 1, "model.json", notebookFloat64());
        writeVersion(repo, "b", 1, "model.json", notebookFloat64());
        start();
        var held = repository.acquireLatest("a");
        ModelStatus unloaded = repository.unload("a");
        assertThat(unloaded.versions()).containsExactly(status(1, VersionState.UNLOADING));
        assertThatThrownBy(() -> repository.acquireLatest("a")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model 'a' is not served; no version of it is AVAILABLE");
        held.close();
        repository.poll();
        repository.poll();
        assertThat(versions("a")).containsExactly(status(1, VersionState.END));
        // an unloaded model does not hold readiness down
        assertThat(repository.ready()).isTrue();

        assertThat(repository.load("a").versions()).containsExactly(status(1, VersionState.AVAILABLE));
        try (var lease = repository.acquireLatest("a")) {
            assertThat(lease.version()).isEqualTo(1);
        }
        assertThatThrownBy(() -> repository.load("c")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("no model 'c' in " + repo + " (models: a, b)");
        assertThatThrownBy(() -> repository.unload("c")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void startupFailsWithOneLinePerModelThatHasNoVersionToServe() {
        writeVersion(repo, "good", 1, "model.json", notebookFloat64());
        writeVersion(repo, "bad", 1, "model.keras", keras("rnn_tanh_dense.keras", 0.5));
        writeVersion(repo, "bad", 2, "model.json", "[]");
        writeVersion(repo, "half", 3, "model.json", notebookFloat64());
        // a version the policy excludes is not a version to serve
        assertThatThrownBy(() -> start("latest; half=1", null)).isInstanceOfSatisfying(RepositoryLoadException.class,
                e -> {
                    assertThat(e.failures()).hasSize(3);
                    assertThat(e.failures().get(0)).startsWith("bad version 1: " + repo.resolve("bad/1/model.keras"));
                    assertThat(e.failures().get(1)).startsWith("bad version 2: " + repo.resolve("bad/2/model.json"));
                    assertThat(e.failures().get(2)).startsWith("half: no version to serve");
                    assertThat(e.failures()).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
                });
        repository = null;
    }

    @Test
    void startupFailsOnAMissingOrEmptyRepository() {
        writeVersion(repo, ".hidden", 1, "model.json", notebookFloat64());
        assertThatThrownBy(this::start).isInstanceOf(RepositoryLoadException.class)
                .hasMessage(repo + ": holds no model (expected <model name>/<version>/<model file>)");
        assertThatThrownBy(() -> new ModelRepository(new ModelRepositoryFolder(repo.resolve("missing")),
                new ModelRepository.Settings(VersionPolicy.ByModel.LATEST_FOR_ALL, null, Duration.ZERO, Duration.ZERO, EngineSettings.defaults()),
                meters).start()).hasMessage(repo.resolve("missing") + ": no such directory (model.repository)");
        repository = null;
    }

    @Test
    void aPolicyIsLatestAllOrAListPerModelOrForAll() {
        assertThat(VersionPolicy.ByModel.parse("latest")).isEqualTo(VersionPolicy.ByModel.LATEST_FOR_ALL);
        VersionPolicy.ByModel policies = VersionPolicy.ByModel.parse(" all ; fraud = 3, 1 ;churn=latest");
        assertThat(policies.of("other")).isEqualTo(VersionPolicy.ALL);
        assertThat(policies.of("fraud")).isEqualTo(new VersionPolicy.Specific(java.util.Set.of(1L, 3L)));
        assertThat(policies.of("fraud")).hasToString("1,3");
        assertThat(policies.of("churn")).isEqualTo(VersionPolicy.LATEST);
        assertThatThrownBy(() -> VersionPolicy.ByModel.parse("newest"))
                .hasMessage("'newest' is not a version policy: expected latest, all or a list of positive versions such as 1,3");
        assertThatThrownBy(() -> VersionPolicy.parse("1,0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyNamesAndPositiveIntegerVersionsAreModelsAndVersions() throws IOException {
        writeVersion(repo, "ok_name-1.2", 10, "model.json", notebookFloat64());
        writeVersion(repo, "ok_name-1.2", 9, "model.json", notebookFloat64());
        Files.createDirectories(repo.resolve("ok_name-1.2/0"));
        Files.createDirectories(repo.resolve("ok_name-1.2/v3"));
        Files.createDirectories(repo.resolve("ok_name-1.2/.4.tmp"));
        Files.createDirectories(repo.resolve("-bad/1"));
        Files.createDirectories(repo.resolve("_bad/1"));
        Files.writeString(repo.resolve("notes.txt"), "not a model");
        Map<String, List<VersionFiles>> found = new ModelRepositoryFolder(repo).scan();
        assertThat(found).containsOnlyKeys("ok_name-1.2");
        assertThat(found.get("ok_name-1.2")).extracting(VersionFiles::version).containsExactly(10L, 9L);
    }

    @Test
    void theModelFilesOfAVersionAreChosenByKind() throws IOException {
        Path dir = Files.createDirectories(repo.resolve("m/1"));
        assertThatThrownBy(() -> ModelRepositoryFolder.modelFiles(dir)).hasMessageContaining("no model file");
        Files.writeString(dir.resolve("model.json"), "{}");
        assertThat(ModelRepositoryFolder.modelFiles(dir)).isEqualTo(
                new ModelRepositoryFolder.ModelFiles(dir.resolve("model.json"), null));
        Files.writeString(dir.resolve("legacy.h5"), "");
        assertThat(ModelRepositoryFolder.modelFiles(dir).model()).isEqualTo(dir.resolve("legacy.h5"));
        Files.writeString(dir.resolve("m.weights.h5"), "");
        assertThat(ModelRepositoryFolder.modelFiles(dir)).isEqualTo(
                new ModelRepositoryFolder.ModelFiles(dir.resolve("m.weights.h5"), dir.resolve("model.json")));
        Files.writeString(dir.resolve("other.keras"), "");
        assertThat(ModelRepositoryFolder.modelFiles(dir).model()).isEqualTo(dir.resolve("other.keras"));
        Files.writeString(dir.resolve("more.keras"), "");
        assertThatThrownBy(() -> ModelRepositoryFolder.modelFiles(dir))
                .hasMessage(dir + ": 2 .keras files (more.keras, other.keras); keep one per version");
        Files.writeString(dir.resolve("model.keras"), "");
        assertThat(ModelRepositoryFolder.modelFiles(dir).model()).isEqualTo(dir.resolve("model.keras"));
    }

    @Test
    void aWeightsFileWithItsConfigBesideItIsServed() {
        writeVersion(repo, "m", 1, "model.weights.h5", keras("rnn_tanh_dense.weights.h5", 1));
        try {
            Files.copy(RepositoryFiles.KERAS.resolve("rnn_tanh_dense.config.json"), repo.resolve("m/1/config.json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        start();
        assertThat(versions("m")).containsExactly(status(1, VersionState.AVAILABLE));
    }

    private static io.rnnserving.loading.LoadedModel notebookInFloat64() {
        return io.rnnserving.loading.ModelFileReader.readDefault().computedIn(io.rnnserving.engine.Precision.FLOAT64);
    }
}
