package io.rnnserving.system;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may change what is served.
 *
 * @param token the bearer token that load and unload requests must carry (env {@code RNN_SERVING_MANAGEMENT_TOKEN});
 *              unset, they are refused
 */
@ConfigurationProperties("rnn-serving.management")
public record ManagementProperties(@Nullable String token) {
}
