package io.rnnserving.ui;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET / for API clients: the liveness answer KServe's V1 protocol gives at its root, {@code {"status": "alive"}}.
 * A browser, which asks for text/html first, gets the trace page instead ({@link TracePageController}).
 */
@RestController
class RootLivenessController implements RootLivenessApi {
    private final ApplicationAvailability availability;

    RootLivenessController(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @Override
    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Liveness> live() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? 200 : 503).body(new Liveness(live ? "alive" : "not alive"));
    }
}
