package io.rnnserving.repository;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.rnnserving.loading.LoadedModel;
import org.jspecify.annotations.Nullable;

/**
 * One model in one version, 1, named by the model itself: what {@code MODEL_PATH} (or the embedded notebook model)
 * serves. Its file is read once at startup, so the first load takes that model rather than reading it again.
 */
public final class SingleModelSource implements VersionSource {
    private static final Object UNCHANGING = "single model";
    private final String name;
    private final String location;
    private final AtomicReference<@Nullable LoadedModel> firstLoad;
    private final Supplier<LoadedModel> reader;

    /**
     * @param loaded the model as read at startup
     * @param reader reads it again, for a load after an unload
     */
    public SingleModelSource(LoadedModel loaded, Supplier<LoadedModel> reader) {
        this.name = loaded.model().name();
        this.location = loaded.source();
        this.firstLoad = new AtomicReference<>(loaded);
        this.reader = reader;
    }

    @Override
    public Map<String, List<VersionFiles>> scan() {
        return Map.of(name, List.of(new VersionFiles(1, location, UNCHANGING, this::read)));
    }

    private LoadedModel read() {
        LoadedModel first = firstLoad.getAndSet(null);
        return first != null ? first : reader.get();
    }

    @Override
    public String location() {
        return location;
    }
}
