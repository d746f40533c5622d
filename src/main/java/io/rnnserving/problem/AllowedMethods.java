package io.rnnserving.problem;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * For a protocol's catch-all of unknown paths: when the path is an endpoint that takes other methods, the request
 * is refused with 405 and {@code Allow} naming them, as Spring MVC does for a path without a catch-all; else 404.
 */
@Component
public class AllowedMethods {
    private final RequestMappingHandlerMapping mappings;
    /** The endpoints that name their methods; read once, as Spring copies its whole registry on every look. */
    private volatile @Nullable List<Endpoint> endpoints;

    AllowedMethods(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    private record Endpoint(PathPatternsRequestCondition paths, Set<RequestMethod> methods) {
    }

    /** Throws 405 when another method serves this path; returns when no endpoint has it. */
    public void refuseOtherMethod(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        Set<RequestMethod> allowed = EnumSet.noneOf(RequestMethod.class);
        for (Endpoint endpoint : endpoints()) {
            if (endpoint.paths().getMatchingCondition(request) != null) {
                allowed.addAll(endpoint.methods());
            }
        }
        if (!allowed.isEmpty()) {
            throw StacklessRefusals.wrongMethod(request.getMethod(),
                    allowed.stream().map(RequestMethod::name).collect(Collectors.toList()));
        }
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> known = endpoints;
        if (known == null) {
            known = mappings.getHandlerMethods().keySet().stream()
                    .filter(mapping -> !mapping.getMethodsCondition().getMethods().isEmpty()
                            && mapping.getPathPatternsCondition() != null)
                    .map(mapping -> new Endpoint(mapping.getPathPatternsCondition(),
                            mapping.getMethodsCondition().getMethods()))
                    .toList();
            endpoints = known;
        }
        return known;
    }

    /** The 405 detail, the same for every protocol. */
    public static String detail(HttpRequestMethodNotSupportedException e) {
        Set<HttpMethod> supported = e.getSupportedHttpMethods();
        return "this endpoint does not take " + e.getMethod() + (supported == null || supported.isEmpty() ? ""
                : "; it takes " + supported.stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
    }
}
