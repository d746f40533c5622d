package io.rnnserving.system;

import java.io.IOException;

import io.rnnserving.serving.ClientConnection;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat's HTTP/1.1 connector, able to tell a request's thread that its client closed the connection. A blocking
 * servlet thread cannot see that through the Servlet API (Tomcat notices only on the next read or write, and during
 * async processing it does not watch the socket at all), so while a thread serves a connection this binds to it a
 * check that reads the socket without blocking: end of stream means the client is gone, bytes of a pipelined next
 * request stay in the connection's buffer for Tomcat to read later.
 */
public class HangUpDetectingProtocol extends Http11NioProtocol {

    @Override
    protected Processor createProcessor() {
        return new HangUpDetectingProcessor(this);
    }

    private static final class HangUpDetectingProcessor extends Http11Processor {
        private @Nullable SocketWrapperBase<?> socket;

        HangUpDetectingProcessor(HangUpDetectingProtocol protocol) {
            super(protocol, protocol.getAdapter());
        }

        @Override
        public SocketState service(SocketWrapperBase<?> socketWrapper) throws IOException {
            socket = socketWrapper;
            ClientConnection.bind(this::hungUp);
            try {
                return super.service(socketWrapper);
            } finally {
                ClientConnection.unbind();
                socket = null;
            }
        }

        /** On the serving thread only, which is the one reading this socket while it serves a request. */
        private boolean hungUp() {
            SocketWrapperBase<?> current = socket;
            if (current == null || current.isClosed()) {
                return current != null;
            }
            try {
                current.isReadyForRead();
                return false;
            } catch (IOException e) {
                return true; // end of stream, or the connection reset
            }
        }
    }

    /** Has Spring Boot's Tomcat use this connector. */
    @Component
    static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.setProtocol(HangUpDetectingProtocol.class.getName());
        }
    }
}
