package io.rnnserving.repository;

import java.util.List;
import java.util.Map;

/** Where the models and their versions come from: a repository folder, or the single model file of today. */
public interface VersionSource {

    /**
     * Every model found now, with its versions.
     *
     * @throws io.rnnserving.loading.ModelLoadException when the source itself cannot be read
     */
    Map<String, List<VersionFiles>> scan();

    /** Where, for messages. */
    String location();
}
