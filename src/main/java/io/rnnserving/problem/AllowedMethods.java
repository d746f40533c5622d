package io.rnnserving.problem;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * For a protocol's catch-all of unknown paths: when the path is an endpoint that takes other methods, the request
 * is refused with 405 and {@code Allow} naming them, as Spring MVC does for a path without a catch-all; else 404.
 */
@Component
public class AllowedMethods {
    private final RequestMappingHandlerMapping mappings;

    AllowedMethods(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    /** Throws 405 when another method serves this path; returns when no endpoint has it. */
    public void refuseOtherMethod(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        Set<RequestMethod> allowed = EnumSet.noneOf(RequestMethod.class);
        for (RequestMappingInfo mapping : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
            if (!methods.isEmpty() && mapping.getPathPatternsCondition() != null
                    && mapping.getPathPatternsCondition().getMatchingCondition(request) != null) {
                allowed.addAll(methods);
            }
        }
        if (!allowed.isEmpty()) {
            throw new HttpRequestMethodNotSupportedException(request.getMethod(),
                    allowed.stream().map(RequestMethod::name).collect(Collectors.toList()));
        }
    }

    /** The 405 detail, the same for every protocol. */
    public static String detail(HttpRequestMethodNotSupportedException e) {
        Set<HttpMethod> supported = e.getSupportedHttpMethods();
        return "this endpoint does not take " + e.getMethod() + (supported == null || supported.isEmpty() ? ""
                : "; it takes " + supported.stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
    }
}
