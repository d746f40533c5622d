package io.rnnserving;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A JSON answer of the running service, for the protocol tests: its status, its bare content type and its body. */
public record JsonReply(int status, String contentType, JsonNode json) {

    public static JsonReply get(RestTestClient client, String uri) {
        return of(client.get().uri(uri).exchange().returnResult(String.class));
    }

    public static JsonReply post(RestTestClient client, String uri, String body) {
        return of(client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).exchange()
                .returnResult(String.class));
    }

    private static JsonReply of(EntityExchangeResult<String> result) {
        MediaType type = result.getResponseHeaders().getContentType();
        return new JsonReply(result.getStatus().value(), type == null ? "" : type.getType() + "/" + type.getSubtype(),
                JsonMapper.shared().readTree(result.getResponseBody()));
    }
}
