package io.rnnserving.system;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.rnnserving.problem.ProblemAnswers;
import io.rnnserving.problem.StacklessRefusals;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod;

/**
 * Spring MVC refusing a request without walking the stack, so that a refusal costs no more than an answer: handler
 * methods are called through a method handle instead of reflection (which wraps whatever a method throws, an
 * InvalidRequestException too, in an InvocationTargetException that fills its trace), the 405 and 415 of Spring's
 * mapping are thrown as {@link StacklessRefusals}, and a path no endpoint serves is answered as the exception handler
 * answers Spring's NoHandlerFoundException, without it. The answers, counters and metric tags stay the same.
 */
@Configuration(proxyBeanMethods = false)
class RefusalsWithoutStackWalks implements WebMvcRegistrations {

    @Override
    public RequestMappingHandlerAdapter getRequestMappingHandlerAdapter() {
        return new DirectInvocationAdapter();
    }

    @Override
    public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
        return new StacklessRefusalMapping();
    }

    /** After every other mapping: what none of them serves is answered here, without DispatcherServlet's exception. */
    @Bean
    HandlerMapping noEndpointMapping(ProblemAnswers answers) {
        return new NoEndpointMapping(answers);
    }

    private static final class DirectInvocationAdapter extends RequestMappingHandlerAdapter {
        private final Map<Method, Optional<MethodHandle>> handles = new ConcurrentHashMap<>();

        @Override
        protected ServletInvocableHandlerMethod createInvocableHandlerMethod(HandlerMethod handlerMethod) {
            return new DirectlyInvokedHandlerMethod(handlerMethod, handles);
        }

        /** (bean, Object[] arguments) → Object; none where the method cannot be reached that way (reflection then). */
        private static Optional<MethodHandle> spreadHandle(Method method) {
            if (Modifier.isStatic(method.getModifiers()) || !method.trySetAccessible()) {
                return Optional.empty();
            }
            try {
                int parameters = method.getParameterCount();
                return Optional.of(MethodHandles.lookup().unreflect(method)
                        .asType(MethodType.genericMethodType(1 + parameters))
                        .asSpreader(1, Object[].class, parameters));
            } catch (IllegalAccessException e) {
                return Optional.empty();
            }
        }
    }

    private static final class DirectlyInvokedHandlerMethod extends ServletInvocableHandlerMethod {
        private final @Nullable MethodHandle handle;

        DirectlyInvokedHandlerMethod(HandlerMethod handlerMethod, Map<Method, Optional<MethodHandle>> handles) {
            super(handlerMethod);
            this.handle = handles.computeIfAbsent(getBridgedMethod(), DirectInvocationAdapter::spreadHandle)
                    .orElse(null);
        }

        @Override
        protected @Nullable Object doInvoke(@Nullable Object... args) throws Exception {
            MethodHandle handle = this.handle;
            if (handle == null) {
                return super.doInvoke(args);
            }
            try {
                return (Object) handle.invokeExact(getBean(), (Object[]) args);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new UndeclaredThrowableException(e);
            }
        }
    }

    /**
     * Spring's own mapping, whose 405 (no method of the path) and 415 (no Content-Type of the path and method) are
     * thrown without a trace; every other refusal (OPTIONS, 406, a missing parameter, a Content-Type that does not
     * parse) is left to Spring as it was.
     */
    private static final class StacklessRefusalMapping extends RequestMappingHandlerMapping {
        @Override
        protected @Nullable HandlerMethod handleNoMatch(Set<RequestMappingInfo> infos, String lookupPath,
                                                        HttpServletRequest request) throws ServletException {
            if (HttpMethod.OPTIONS.matches(request.getMethod())) {
                return super.handleNoMatch(infos, lookupPath, request);
            }
            PathContainer path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
            boolean pathMatched = false;
            boolean methodMatched = false;
            Set<String> allowed = new LinkedHashSet<>();
            Set<MediaType> consumable = new LinkedHashSet<>();
            for (RequestMappingInfo info : infos) {
                if (!matches(info, path, request)) {
                    continue;
                }
                pathMatched = true;
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    allowed.add(method.name());
                }
                if (info.getMethodsCondition().getMatchingCondition(request) != null) {
                    methodMatched = true;
                    if (info.getConsumesCondition().getMatchingCondition(request) != null) {
                        return super.handleNoMatch(infos, lookupPath, request);
                    }
                    consumable.addAll(info.getConsumesCondition().getConsumableMediaTypes());
                }
            }
            if (!pathMatched) {
                return null;
            }
            if (!methodMatched) {
                throw StacklessRefusals.wrongMethod(request.getMethod(), allowed);
            }
            MediaType contentType = null;
            if (StringUtils.hasLength(request.getContentType())) {
                try {
                    contentType = MediaType.parseMediaType(request.getContentType());
                } catch (InvalidMediaTypeException e) {
                    return super.handleNoMatch(infos, lookupPath, request);
                }
            }
            throw StacklessRefusals.unsupportedType(contentType, List.copyOf(consumable),
                    HttpMethod.valueOf(request.getMethod()));
        }

        /** As the mapping's path condition matches, with the request's parsed path looked up once, not per mapping. */
        private static boolean matches(RequestMappingInfo info, PathContainer path, HttpServletRequest request) {
            PathPatternsRequestCondition patterns = info.getPathPatternsCondition();
            if (patterns == null) {
                return info.getActivePatternsCondition().getMatchingCondition(request) != null;
            }
            for (PathPattern pattern : patterns.getPatterns()) {
                if (pattern.matches(path)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class NoEndpointMapping implements HandlerMapping, Ordered {
        private final HandlerMethod refusal;

        NoEndpointMapping(ProblemAnswers answers) {
            try {
                refusal = new HandlerMethod(new NoEndpoint(answers), NoEndpoint.class.getMethod("refuse"));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public HandlerExecutionChain getHandler(HttpServletRequest request) {
            return new HandlerExecutionChain(refusal);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** The handler of every path no endpoint serves. */
    static final class NoEndpoint {
        private final ProblemAnswers answers;

        NoEndpoint(ProblemAnswers answers) {
            this.answers = answers;
        }

        public ResponseEntity<Object> refuse() {
            return answers.noEndpoint();
        }
    }
}
