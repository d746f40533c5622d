package io.rnnserving.ui;

import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * GET / for browsers: the trace page. Spring picks it over the JSON liveness answer when the request lists
 * text/html before application/json, as browsers do; API clients (Accept JSON or any type) get the liveness answer.
 */
@Controller
@Hidden
@ConditionalOnBooleanProperty(name = UiConfiguration.ENABLED, matchIfMissing = true)
class TracePageController {
    private static final Resource PAGE = new ClassPathResource("ui/index.html");

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .body(PAGE);
    }
}
