package io.rnnserving.system;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
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
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} or {@code deflate} (as tritonclient's
 * {@code request_compression_algorithm} sends them) reach every endpoint decompressed. The body limit counts the
 * decompressed bytes while inflating, so a decompression bomb stops at the limit; an encoding not served is refused
 * with 415 when the endpoint reads the body, in that endpoint's own error format.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestDecompressionFilter extends OncePerRequestFilter {
    private final RequestLimits limits;

    RequestDecompressionFilter(RequestLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new DecodedRequest(request, encoding.trim().toLowerCase(Locale.ROOT), limits.maxBodyBytes()),
                response);
    }

    /** The request as the endpoints read it: its body decoded, no longer declaring a length or an encoding. */
    private static final class DecodedRequest extends HttpServletRequestWrapper {
        private final String encoding;
        private final long maxBodyBytes;
        private @Nullable ServletInputStream decoded;

        DecodedRequest(HttpServletRequest request, String encoding, long maxBodyBytes) {
            super(request);
            this.encoding = encoding;
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (decoded == null) {
                decoded = new DecodedInputStream(open(super.getInputStream()), encoding, maxBodyBytes);
            }
            return decoded;
        }

        private InputStream open(InputStream raw) throws IOException {
            return switch (encoding) {
                case "gzip", "x-gzip" -> readingHeader(() -> new GZIPInputStream(raw, 8192));
                case "deflate" -> deflate(raw);
                default -> throw new InvalidRequestException(ProblemKind.UNSUPPORTED_MEDIA_TYPE, null,
                        "the body's Content-Encoding '" + encoding + "' is not served; send it as gzip, deflate or "
                                + "identity");
            };
        }

        /** deflate is a zlib stream (RFC 9110); a raw deflate stream, which some clients send, is read too. */
        private static InputStream deflate(InputStream raw) throws IOException {
            PushbackInputStream in = new PushbackInputStream(raw, 2);
            int first = in.read();
            int second = first < 0 ? -1 : in.read();
            if (second >= 0) {
                in.unread(second);
            }
            if (first >= 0) {
                in.unread(first);
            }
            boolean zlib = first >= 0 && second >= 0 && (first & 0x0f) == 8 && ((first << 8) | second) % 31 == 0;
            return new InflaterInputStream(in, new Inflater(!zlib), 8192);
        }

        private interface Opening {
            InputStream open() throws IOException;
        }

        private static InputStream readingHeader(Opening opening) throws IOException {
            try {
                return opening.open();
            } catch (ZipException | EOFException e) {
                throw notDecodable(e);
            }
        }

        @Override
        public @Nullable String getHeader(String name) {
            if (HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(name) || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                return null;
            }
            return super.getHeader(name);
        }

        // the declared length is the compressed one; the decoded body declares none and is counted as it is read
        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }
    }

    static InvalidRequestException notDecodable(IOException e) {
        return new InvalidRequestException(ProblemKind.BAD_REQUEST, null,
                "the body cannot be decompressed: " + (e.getMessage() == null ? "it breaks off" : e.getMessage()));
    }

    /** Counts the decompressed bytes and stops at the body limit, long before a bomb is inflated. */
    private static final class DecodedInputStream extends ServletInputStream {
        private final InputStream in;
        private final String encoding;
        private final long limit;
        private long read;
        private boolean finished;

        DecodedInputStream(InputStream in, String encoding, long limit) {
            this.in = in;
            this.encoding = encoding;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, (int) Math.min(length, limit - read + 1));
            } catch (ZipException | EOFException e) {
                throw notDecodable(e);
            }
            if (n < 0) {
                finished = true;
                return n;
            }
            read += n;
            if (read > limit) {
                throw new InvalidRequestException(ProblemKind.BODY_TOO_LARGE, null, "the request body, decompressed "
                        + "from " + encoding + ", is larger than the limit of " + limit + " bytes");
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("the decompressed body is read blocking");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
