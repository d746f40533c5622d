package io.rnnserving.repository;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Which versions of a model are served: the highest that loads, every one, or the ones listed. */
public sealed interface VersionPolicy {

    /** The highest version that loaded; a newer one that fails leaves it serving. */
    record Latest() implements VersionPolicy {
        @Override
        public String toString() {
            return "latest";
        }
    }

    /** Every version found. */
    record All() implements VersionPolicy {
        @Override
        public String toString() {
            return "all";
        }
    }

    /** Only these versions, those of them that are found. */
    record Specific(Set<Long> versions) implements VersionPolicy {
        public Specific {
            versions = Collections.unmodifiableSet(new TreeSet<>(versions));
        }

        @Override
        public String toString() {
            return String.join(",", versions.stream().map(String::valueOf).toList());
        }
    }

    VersionPolicy LATEST = new Latest();
    VersionPolicy ALL = new All();

    /** Whether this policy may serve the version at all (latest and all may serve any). */
    default boolean admits(long version) {
        return !(this instanceof Specific specific) || specific.versions().contains(version);
    }

    /**
     * Reads {@code latest}, {@code all} or a comma-separated list of versions such as {@code 1,3}.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    static VersionPolicy parse(String text) {
        String policy = text.strip().toLowerCase(Locale.ROOT);
        if (policy.equals("latest")) {
            return LATEST;
        }
        if (policy.equals("all")) {
            return ALL;
        }
        Set<Long> versions = new TreeSet<>();
        for (String part : policy.split(",")) {
            String version = part.strip();
            if (!ModelRepositoryFolder.VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("'" + text.strip() + "' is not a version policy: expected latest, all "
                        + "or a list of positive versions such as 1,3");
            }
            versions.add(Long.parseLong(version));
        }
        return new Specific(versions);
    }

    /**
     * The policy of each model and of all others, from {@code model.version-policy}: one policy for every model
     * ({@code all}), or entries separated by {@code ;} that name a model ({@code latest; fraud=all; churn=1,3}).
     *
     * @param fallback the policy of a model the text does not name
     */
    record ByModel(VersionPolicy fallback, Map<String, VersionPolicy> byModel) {
        private static final Pattern ENTRY = Pattern.compile("\\s*(" + ModelRepositoryFolder.NAME.pattern() + ")\\s*=(.*)");

        public ByModel {
            byModel = Collections.unmodifiableMap(new LinkedHashMap<>(byModel));
        }

        public static final ByModel LATEST_FOR_ALL = new ByModel(LATEST, Map.of());

        public VersionPolicy of(String model) {
            return byModel.getOrDefault(model, fallback);
        }

        /** @throws IllegalArgumentException naming the entry that is not understood */
        public static ByModel parse(String text) {
            VersionPolicy fallback = LATEST;
            Map<String, VersionPolicy> byModel = new LinkedHashMap<>();
            for (String entry : text.split(";")) {
                if (entry.isBlank()) {
                    continue;
                }
                var named = ENTRY.matcher(entry);
                if (named.matches()) {
                    byModel.put(named.group(1), VersionPolicy.parse(named.group(2)));
                } else {
                    fallback = VersionPolicy.parse(entry);
                }
            }
            return new ByModel(fallback, byModel);
        }
    }
}
