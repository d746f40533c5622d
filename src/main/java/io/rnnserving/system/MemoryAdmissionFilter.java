package io.rnnserving.system;

import java.io.IOException;

import io.rnnserving.serving.MemoryBudget;
import io.rnnserving.serving.RequestLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds each request's ticket of the memory budget from its first byte read until its answer is written. While the
 * body is read, it reserves what decoding it can take: a JSON number is at least two bytes ("0,") and becomes 8
 * bytes in a growing array (12 at the moment it grows), so 6 bytes per byte read, at most what the largest batch
 * takes; a declared length is reserved at once, so that a body that cannot fit is refused before it is read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class MemoryAdmissionFilter extends OncePerRequestFilter {
    private static final long BYTES_PER_BODY_BYTE = 6;
    /** Reserving in steps of this much keeps the budget's lock out of the reading loop. */
    private static final long STEP = 256 * 1024;

    private final MemoryBudget budget;
    private final long largestDecodedBody;

    MemoryAdmissionFilter(MemoryBudget budget, RequestLimits limits) {
        this.budget = budget;
        this.largestDecodedBody = 12 * limits.maxValues() + STEP;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (MemoryBudget.Ticket ticket = budget.open()) {
            chain.doFilter(new AdmittedRequest(request, ticket), response);
        }
    }

    private final class AdmittedRequest extends HttpServletRequestWrapper {
        private final MemoryBudget.Ticket ticket;
        private @Nullable ServletInputStream counted;

        AdmittedRequest(HttpServletRequest request, MemoryBudget.Ticket ticket) {
            super(request);
            this.ticket = ticket;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (counted == null) {
                long declared = getContentLengthLong();
                if (declared > 0) {
                    reserveFor(declared);
                }
                counted = new CountedInputStream(super.getInputStream(), this);
            }
            return counted;
        }

        void reserveFor(long bodyBytes) {
            long needed = Math.min(largestDecodedBody, BYTES_PER_BODY_BYTE * bodyBytes + STEP);
            if (needed > ticket.heldBytes()) {
                ticket.reserveTotal(Math.min(largestDecodedBody, needed + STEP), "this request body");
            }
        }
    }

    private static final class CountedInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final AdmittedRequest request;
        private long read;
        private long reservedUpTo = -1;

        CountedInputStream(ServletInputStream in, AdmittedRequest request) {
            this.in = in;
            this.request = request;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > reservedUpTo) {
                request.reserveFor(read + STEP / BYTES_PER_BODY_BYTE);
                reservedUpTo = read + STEP / BYTES_PER_BODY_BYTE;
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
