package io.rnnserving.problem;

import io.rnnserving.problem.ProblemKind;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page for what Tomcat refuses before Spring MVC sees it (a TRACE, a status sent by the container):
 * problem+json like every other error, instead of Boot's default error JSON.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatusCode status = statusOf(request);
        ProblemKind kind = kindOf(status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, kind == ProblemKind.INTERNAL_ERROR
                ? "the service failed to answer this request" : "the request cannot be processed");
        problem.setType(kind.type());
        problem.setTitle(kind.title());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static HttpStatusCode statusOf(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code instanceof Integer value && value >= 400 && value <= 599) {
            return HttpStatusCode.valueOf(value);
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static ProblemKind kindOf(HttpStatusCode status) {
        for (ProblemKind kind : ProblemKind.values()) {
            if (kind.status() == status.value() && kind.status() != 400) {
                return kind;
            }
        }
        return status.is5xxServerError() ? ProblemKind.INTERNAL_ERROR : ProblemKind.BAD_REQUEST;
    }
}
