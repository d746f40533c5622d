/** rnn-serving: a Spring Boot service that serves a Keras recurrent model over HTTP. */
@NullMarked
package io.rnnserving;

import org.jspecify.annotations.NullMarked;
