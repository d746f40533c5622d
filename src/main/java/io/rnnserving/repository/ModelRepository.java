package io.rnnserving.repository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.WarmUp;
import io.rnnserving.serving.ServedModel;
import io.rnnserving.loading.LoadedModel;
import io.rnnserving.loading.ModelLoadException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this service serves and their versions, kept in step with where they come from. A version is read,
 * checked by a forward pass, warmed up and only then swapped in; requests take a {@link ModelVersion.Lease} on one
 * version and finish on it whatever is swapped in meanwhile; a version no longer served is released once its last
 * request ends. A version that fails to load never replaces a working one: it is reported FAILED with its reason,
 * logged and counted once, and tried again only when its files change.
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);

    /**
     * How the repository runs.
     *
     * @param policies     which versions of each model to serve
     * @param defaultModel the model of requests that name none; null: the only model
     * @param pollInterval how often to look for changes; zero: never after startup
     * @param warmUp       at most how long to warm each new version up before it is swapped in
     * @param engine       how every version runs
     */
    public record Settings(VersionPolicy.ByModel policies, @Nullable String defaultModel, Duration pollInterval,
                           Duration warmUp, EngineSettings engine) {

        /** One model, no polling, no warm-up: as protocol tests need it. */
        public static Settings forTests(EngineSettings engine) {
            return new Settings(VersionPolicy.ByModel.LATEST_FOR_ALL, null, Duration.ZERO, Duration.ZERO, engine);
        }
    }

    private final VersionSource source;
    private final Settings settings;
    private final RepositoryMeters meters;
    /** Changed only under this lock: by the poller, and by load and unload requests. */
    private final Object changes = new Object();
    private final Map<String, ModelEntry> models = new ConcurrentSkipListMap<>();
    private final Set<String> unloadedOnRequest = new HashSet<>();
    private Map<String, Object> previousFingerprints = Map.of();
    private @Nullable String lastScanFailure;
    /** At startup failures are logged once startup goes on: when it stops, its one report names them. */
    private boolean starting;
    /** What requests read: each model's AVAILABLE versions, lowest first; replaced whole, never changed. */
    private volatile Map<String, List<ModelVersion>> serving = Map.of();
    private @Nullable ScheduledExecutorService poller;
    /** Loaded in this sync: shown LOADING until requests can have them, so AVAILABLE never comes before that. */
    private final List<VersionRecord> swappingIn = new ArrayList<>();

    public ModelRepository(VersionSource source, Settings settings, MeterRegistry registry) {
        this.source = source;
        this.settings = settings;
        this.meters = new RepositoryMeters(registry);
    }

    /** One model in one version, started and not warmed up, as protocol tests need it. */
    public static ModelRepository ofSingleModel(LoadedModel loaded, EngineSettings engine, MeterRegistry registry) {
        ModelRepository repository = new ModelRepository(new SingleModelSource(loaded, () -> loaded),
                Settings.forTests(engine), registry);
        repository.start();
        return repository;
    }

    /**
     * Loads every model, then starts polling.
     *
     * @throws RepositoryLoadException when some model has no version that loads, one line per failure
     * @throws ModelLoadException      when the source cannot be read at all
     */
    public void start() {
        synchronized (changes) {
            starting = true;
            try {
                sync(true, null);
            } finally {
                starting = false;
            }
            List<String> failures = new ArrayList<>();
            if (models.isEmpty()) {
                failures.add("holds no model (expected <model name>/<version>/<model file>)");
            }
            for (ModelEntry entry : models.values()) {
                if (!entry.available()) {
                    failures.addAll(entry.failures());
                }
            }
            String defaultModel = settings.defaultModel();
            if (defaultModel != null && !models.containsKey(defaultModel)) {
                failures.add("model.default names '" + defaultModel + "', which is not a model here (models: "
                        + String.join(", ", models.keySet()) + ")");
            }
            if (!failures.isEmpty()) {
                close();
                throw new RepositoryLoadException(source.location(), failures);
            }
            for (ModelEntry entry : models.values()) {
                entry.versions.forEach((version, record) -> {
                    if (record.failure != null) {
                        log.warn("Cannot serve model '{}' version {}: {}", entry.name, version, record.failure);
                    }
                });
            }
        }
        long pollMillis = settings.pollInterval().toMillis();
        if (pollMillis > 0) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "model-repository-poll");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
            poller = executor;
        }
    }

    /** One look at the source: versions whose files did not change since the last look are loaded or retired. */
    public void poll() {
        synchronized (changes) {
            try {
                sync(false, null);
                lastScanFailure = null;
            } catch (ModelLoadException e) {
                if (!e.getMessage().equals(lastScanFailure)) {
                    log.warn("Cannot read the model repository: {}", e.getMessage());
                    lastScanFailure = e.getMessage();
                }
            } catch (RuntimeException e) {
                log.error("Polling the model repository failed", e);
            }
        }
    }

    /**
     * Loads a model now (the repository extension's load): its versions are read whatever their age, failed ones
     * again too, and polling keeps it in step again after an unload.
     *
     * @return its state afterwards
     * @throws ModelNotFoundException when the source has no such model
     */
    public ModelStatus load(String name) {
        synchronized (changes) {
            Set<String> found = source.scan().keySet();
            if (!found.contains(name)) {
                throw new ModelNotFoundException("no model '" + name + "' in " + source.location() + " (models: "
                        + String.join(", ", found) + ")");
            }
            unloadedOnRequest.remove(name);
            sync(true, name);
            return models.get(name).status();
        }
    }

    /**
     * Stops serving every version of a model (the repository extension's unload) until it is loaded again; requests
     * already running finish first.
     *
     * @throws ModelNotFoundException when no such model is known
     */
    public ModelStatus unload(String name) {
        synchronized (changes) {
            ModelEntry entry = models.get(name);
            if (entry == null) {
                throw unknownModel(name);
            }
            unloadedOnRequest.add(name);
            List<ModelVersion> retiring = new ArrayList<>(serving.getOrDefault(name, List.of()));
            retiring.forEach(ModelVersion::markRetired);
            publish();
            retiring.forEach(this::retire);
            return entry.status();
        }
    }

    /** Every model known, by name, with each version's state. */
    public List<ModelStatus> models() {
        return models.values().stream().map(ModelEntry::status).toList();
    }

    /** One model's state. */
    public ModelStatus model(String name) {
        ModelEntry entry = models.get(name);
        if (entry == null) {
            throw unknownModel(name);
        }
        return entry.status();
    }

    /** Ready to serve: every model that has been tried (and not unloaded on request) has an AVAILABLE version. */
    public boolean ready() {
        for (ModelEntry entry : models.values()) {
            if (!unloadedOnRequest.contains(entry.name) && !entry.versions.isEmpty() && !entry.available()) {
                return false;
            }
        }
        return !models.isEmpty();
    }

    /** The model of requests that name none: {@code model.default}, else the only one. */
    public String defaultModel() {
        String configured = settings.defaultModel();
        if (configured != null) {
            return configured;
        }
        if (models.size() == 1) {
            return models.keySet().iterator().next();
        }
        throw new ModelNotFoundException("this service serves several models and none is the default (model.default):"
                + " name one of " + String.join(", ", models.keySet()));
    }

    /**
     * A lease on a model's highest AVAILABLE version, for one request.
     *
     * @throws ModelNotFoundException naming what is served instead
     */
    public ModelVersion.Lease acquireLatest(String name) {
        return lease(name, null);
    }

    /**
     * A lease on one version of a model, for one request.
     *
     * @throws ModelNotFoundException naming what is served instead
     */
    public ModelVersion.Lease acquire(String name, long version) {
        return lease(name, version);
    }

    private ModelVersion.Lease lease(String name, @Nullable Long version) {
        while (true) {
            List<ModelVersion> available = serving.get(name);
            if (available == null) {
                throw unknownModel(name);
            }
            ModelVersion chosen = null;
            if (version == null) {
                chosen = available.isEmpty() ? null : available.get(available.size() - 1);
            } else {
                for (ModelVersion candidate : available) {
                    if (candidate.version() == version) {
                        chosen = candidate;
                    }
                }
            }
            if (chosen == null) {
                throw unavailableVersion(name, version, available);
            }
            ModelVersion.Lease lease = chosen.tryAcquire();
            if (lease != null) {
                return lease;
            }
            // it ended between reading the map and taking the lease, so a newer map is already published
        }
    }

    /**
     * A lease on a version given as text, as in a URL path.
     *
     * @throws ModelNotFoundException also when the text is not a version number
     */
    public ModelVersion.Lease acquire(String name, String version) {
        if (!ModelRepositoryFolder.VERSION.matcher(version).matches()) {
            List<ModelVersion> available = serving.get(name);
            if (available == null) {
                throw unknownModel(name);
            }
            throw new ModelNotFoundException("model '" + name + "' version '" + version + "' is not a version number; "
                    + servedVersions(available));
        }
        return lease(name, Long.valueOf(version));
    }

    /** The default model's lease, on its highest AVAILABLE version. */
    public ModelVersion.Lease acquireDefault() {
        return lease(defaultModel(), null);
    }

    private ModelNotFoundException unknownModel(String name) {
        return new ModelNotFoundException("model '" + name + "' is not served here; "
                + (models.isEmpty() ? "no model is" : "models: " + String.join(", ", models.keySet())));
    }

    private ModelNotFoundException unavailableVersion(String name, @Nullable Long version,
                                                      List<ModelVersion> available) {
        return new ModelNotFoundException((version == null ? "model '" + name + "'"
                : "model '" + name + "' version " + version) + " is not served; " + servedVersions(available));
    }

    private static String servedVersions(List<ModelVersion> available) {
        return available.isEmpty() ? "no version of it is AVAILABLE" : "AVAILABLE versions: "
                + String.join(", ", available.stream().map(v -> Long.toString(v.version())).toList());
    }

    @Override
    public void close() {
        ScheduledExecutorService executor = poller;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Brings each model (or only the one named) in step with the source. Holds the lock. */
    private void sync(boolean immediate, @Nullable String only) {
        Map<String, List<VersionFiles>> found = source.scan();
        Map<String, Object> fingerprints = new HashMap<>(only == null ? Map.of() : previousFingerprints);
        List<ModelVersion> retiring = new ArrayList<>();
        Set<String> names = new TreeSet<>(found.keySet());
        names.addAll(models.keySet());
        for (String name : names) {
            List<VersionFiles> versions = found.getOrDefault(name, List.of());
            for (VersionFiles files : versions) {
                fingerprints.put(key(name, files.version()), files.fingerprint());
            }
            if ((only != null && !only.equals(name)) || unloadedOnRequest.contains(name)) {
                continue;
            }
            ModelEntry entry = models.computeIfAbsent(name, ModelEntry::new);
            retiring.addAll(syncModel(entry, versions, immediate));
            if (!found.containsKey(name) && entry.versions.isEmpty()) {
                models.remove(name);
            }
        }
        previousFingerprints = fingerprints;
        publish();
        swappingIn.forEach(record -> record.loading = false);
        swappingIn.clear();
        retiring.forEach(this::retire);
    }

    /** Loads what the model's policy wants and returns the versions to retire once the new map is published. */
    private List<ModelVersion> syncModel(ModelEntry entry, List<VersionFiles> found, boolean immediate) {
        VersionPolicy policy = settings.policies().of(entry.name);
        List<VersionFiles> candidates = new ArrayList<>(found);
        candidates.sort(Comparator.comparingLong(VersionFiles::version).reversed());
        Set<Long> wanted = new HashSet<>();
        for (VersionFiles files : candidates) {
            if (!policy.admits(files.version())) {
                continue;
            }
            VersionRecord record = entry.versions.get(files.version());
            boolean served = record != null && record.servedNow();
            if (served || tryLoad(entry, files, record, immediate)) {
                wanted.add(files.version());
                if (policy instanceof VersionPolicy.Latest) {
                    break;
                }
            }
        }
        Set<Long> present = new HashSet<>();
        found.forEach(files -> present.add(files.version()));
        List<ModelVersion> retiring = new ArrayList<>();
        for (var it = entry.versions.entrySet().iterator(); it.hasNext(); ) {
            var version = it.next();
            VersionRecord record = version.getValue();
            ModelVersion served = record.served;
            if (record.servedNow() && served != null && !wanted.contains(version.getKey())) {
                served.markRetired();
                retiring.add(served);
            }
            // a version whose directory is gone is forgotten once nothing runs on it
            if (!present.contains(version.getKey()) && !record.servedNow() && record.state() != VersionState.UNLOADING
                    && record.state() != VersionState.LOADING) {
                it.remove();
            }
        }
        return retiring;
    }

    /** Loads one version unless its files are still changing or failed before unchanged; true when it now serves. */
    private boolean tryLoad(ModelEntry entry, VersionFiles files, @Nullable VersionRecord previous, boolean immediate) {
        boolean stable = immediate || files.fingerprint().equals(previousFingerprints.get(key(entry.name, files.version())));
        if (!stable) {
            return false;
        }
        if (!immediate && previous != null && previous.state() == VersionState.FAILED
                && files.fingerprint().equals(previous.failedFingerprint)) {
            return false;
        }
        VersionRecord record = new VersionRecord();
        record.loading = true;
        entry.versions.put(files.version(), record);
        String model = entry.name;
        long version = files.version();
        long started = System.nanoTime();
        meters.attempting(model, version);
        try {
            LoadedModel loaded = files.reader().get();
            ServedModel served = new ServedModel(loaded, settings.engine(), meters.registry(),
                    Tags.of("model", model, "version", Long.toString(version)));
            WarmUp.Report warmUp = WarmUp.run(served.model(), settings.warmUp());
            record.served = new ModelVersion(model, version, served, ended -> ended(model, version, ended));
            swappingIn.add(record);
            meters.loaded(model, version);
            log.info("Serving model '{}' version {} ({}, {} parameters, sha256 {}) from {}; loaded in {} ms, "
                            + "{} warm-up passes", model, version, loaded.fileKind(), loaded.model().parameterCount(),
                    loaded.sha256(), loaded.source(), (System.nanoTime() - started) / 1_000_000, warmUp.passes());
            return true;
        } catch (RuntimeException e) {
            String reason = oneLine(e);
            record.failure = reason;
            record.failedFingerprint = files.fingerprint();
            meters.failed(model, version);
            record.loading = false;
            if (!starting) {
                log.warn("Cannot serve model '{}' version {}: {}", model, version, reason);
            }
            return false;
        }
    }

    private void ended(String model, long version, ServedModel served) {
        served.removeMeters();
        meters.unloaded(model, version);
        log.info("Released model '{}' version {}", model, version);
    }

    private void retire(ModelVersion version) {
        log.info("Model '{}' version {} is no longer served; it is released when its last request ends",
                version.model(), version.version());
        version.release();
    }

    private void publish() {
        Map<String, List<ModelVersion>> next = new LinkedHashMap<>();
        for (ModelEntry entry : models.values()) {
            List<ModelVersion> available = new ArrayList<>();
            if (!unloadedOnRequest.contains(entry.name)) {
                for (VersionRecord record : entry.versions.values()) {
                    ModelVersion served = record.served;
                    if (served != null && !served.retired()) {
                        available.add(served);
                    }
                }
            }
            next.put(entry.name, List.copyOf(available));
        }
        serving = Map.copyOf(next);
    }

    private static String key(String model, long version) {
        return model + "/" + version;
    }

    private static String oneLine(RuntimeException e) {
        String message = e instanceof ModelLoadException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** A model's versions as last seen; changed only under the lock, read by anyone. */
    private static final class ModelEntry {
        private final String name;
        private final Map<Long, VersionRecord> versions = new ConcurrentSkipListMap<>();

        ModelEntry(String name) {
            this.name = name;
        }

        boolean available() {
            return versions.values().stream().anyMatch(VersionRecord::servedNow);
        }

        List<String> failures() {
            List<String> failures = new ArrayList<>();
            versions.forEach((version, record) -> {
                if (record.failure != null) {
                    failures.add(name + " version " + version + ": " + record.failure);
                }
            });
            if (failures.isEmpty()) {
                failures.add(name + ": no version to serve (expected <" + name + ">/<positive integer version>/"
                        + "<model file>, allowed by model.version-policy)");
            }
            return failures;
        }

        ModelStatus status() {
            Map<Long, VersionStatus> statuses = new TreeMap<>();
            versions.forEach((version, record) -> statuses.put(version,
                    new VersionStatus(version, record.state(), record.failure)));
            return new ModelStatus(name, List.copyOf(statuses.values()));
        }
    }

    /** One version's last load: loading, failed with a reason, or served (possibly since retired). */
    private static final class VersionRecord {
        volatile boolean loading;
        volatile @Nullable String failure;
        volatile @Nullable Object failedFingerprint;
        volatile @Nullable ModelVersion served;

        boolean servedNow() {
            ModelVersion version = served;
            return version != null && !version.retired();
        }

        VersionState state() {
            if (loading) {
                return VersionState.LOADING;
            }
            if (failure != null) {
                return VersionState.FAILED;
            }
            ModelVersion version = served;
            return version == null ? VersionState.END : version.state();
        }
    }
}
