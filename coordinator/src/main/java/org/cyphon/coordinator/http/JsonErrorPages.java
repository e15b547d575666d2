package org.cyphon.coordinator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.cyphon.core.protocol.ErrorBody;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error replies (a request it rejects before our routes see it: headers too large, a
 * malformed request line) as JSON {@link ErrorBody} too, so a client never gets an HTML page.
 */
final class JsonErrorPages extends ErrorHandler {
    private final ObjectMapper json;

    JsonErrorPages(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        Object message = request.getAttribute("jakarta.servlet.error.message");
        response.setContentType("application/json");
        response.getOutputStream().write(body(response.getStatus(), message == null ? null : message.toString()));
    }

    private byte[] body(int status, String reason) {
        String text = "HTTP " + status + (reason == null || reason.isBlank() ? "" : ": " + reason);
        try {
            return json.writeValueAsBytes(new ErrorBody(text, null));
        } catch (JsonProcessingException e) {
            return ("{\"error\":\"HTTP " + status + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
