package io.rnnserving.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Load and unload change what is served, so only a holder of the management token may ask: refused (403) while no
 * token is configured, 401 without {@code Authorization: Bearer <token>} or with a wrong one. Every other endpoint
 * is outside this chain and answers exactly as without Spring Security.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {
    /** The model repository extension's endpoints that change what is served. */
    static final String[] MANAGEMENT_PATHS = {"/v2/repository/models/*/load", "/v2/repository/models/*/unload"};
    private static final String BEARER = "Bearer ";

    @Bean
    SecurityFilterChain managementFilterChain(HttpSecurity http, ManagementProperties properties) throws Exception {
        http.securityMatcher(MANAGEMENT_PATHS)
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        String token = properties.token();
        if (token == null || token.isBlank()) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().denyAll())
                    .exceptionHandling(errors -> errors
                            .authenticationEntryPoint((request, response, e) -> refuse(response))
                            .accessDeniedHandler((request, response, e) -> refuse(response)));
            return http.build();
        }
        AuthenticationFilter bearer = new AuthenticationFilter(
                new ProviderManager(List.of(new ManagementTokenProvider(token))), ManagementSecurity::bearerToken);
        // on success the request goes on to the controller (the default handler would redirect)
        bearer.setSuccessHandler((request, response, authentication) -> {
        });
        bearer.setFailureHandler((request, response, e) -> unauthorized(response));
        http.addFilterAt(bearer, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> unauthorized(response)));
        return http.build();
    }

    /** The token of an {@code Authorization: Bearer} header; null without one, so the request stays anonymous. */
    private static @Nullable Authentication bearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return new PreAuthenticatedAuthenticationToken("management", header.substring(BEARER.length()).strip());
    }

    /** Accepts exactly the configured token, compared in constant time. */
    private record ManagementTokenProvider(String token) implements AuthenticationProvider {
        @Override
        public Authentication authenticate(Authentication authentication) {
            byte[] given = String.valueOf(authentication.getCredentials()).getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
                throw new BadCredentialsException("wrong management token");
            }
            return new PreAuthenticatedAuthenticationToken("management", null,
                    AuthorityUtils.createAuthorityList("ROLE_MANAGEMENT"));
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return PreAuthenticatedAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        error(response, HttpServletResponse.SC_FORBIDDEN, "loading and unloading models is off: set "
                + "rnn-serving.management.token (RNN_SERVING_MANAGEMENT_TOKEN) to allow it with that bearer token");
    }

    private static void unauthorized(HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"rnn-serving\"");
        error(response, HttpServletResponse.SC_UNAUTHORIZED,
                "loading and unloading models needs the header Authorization: Bearer <management token>");
    }

    /** In the KServe protocol's error format, as the rest of the repository extension answers. */
    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"" + message + "\"}");
    }
}
