package io.rnnserving.problem;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Spring MVC's own refusals (wrong method, unsupported Content-Type) made without a stack trace: a
 * client's mistake is answered, never logged with its trace, and filling one walks the whole servlet stack on every
 * refused request. Each is a subclass of Spring's exception of the same simple name, so that every exception handler
 * and every metric tag sees what it saw before.
 */
public final class StacklessRefusals {

    private StacklessRefusals() {
    }

    public static org.springframework.web.HttpRequestMethodNotSupportedException wrongMethod(
            String method, Collection<String> allowed) {
        return new HttpRequestMethodNotSupportedException(method, allowed);
    }

    public static org.springframework.web.HttpMediaTypeNotSupportedException unsupportedType(
            @Nullable MediaType contentType, List<MediaType> supported, HttpMethod method) {
        return new HttpMediaTypeNotSupportedException(contentType, supported, method);
    }

    private static final class HttpRequestMethodNotSupportedException
            extends org.springframework.web.HttpRequestMethodNotSupportedException {
        HttpRequestMethodNotSupportedException(String method, Collection<String> allowed) {
            super(method, allowed);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final class HttpMediaTypeNotSupportedException
            extends org.springframework.web.HttpMediaTypeNotSupportedException {
        HttpMediaTypeNotSupportedException(@Nullable MediaType contentType, List<MediaType> supported,
                                           HttpMethod method) {
            super(contentType, supported, method);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
