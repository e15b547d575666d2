package org.cyphon.coordinator.http;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannelOverHttp;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;

/**
 * HTTP/1 connections whose malformed requests are all answered 4xx. Jetty answers a request line
 * it can only read as HTTP/0.9 (no version: a raw line break in the path ends the line early)
 * with 505, a server-error status for what is the client's malformed request; this makes it 400,
 * like every other request Jetty cannot parse. Nothing of ours runs for such a request.
 */
final class MalformedRequestsAs400 extends HttpConnectionFactory {
    MalformedRequestsAs400(HttpConfiguration config) {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection =
                new HttpConnection(getHttpConfiguration(), connector, endPoint, isRecordHttpComplianceViolations()) {
                    @Override
                    protected HttpChannelOverHttp newHttpChannel() {
                        return new HttpChannelOverHttp(
                                this, getConnector(), getHttpConfiguration(), getEndPoint(), this) {
                            @Override
                            public void badMessage(BadMessageException failure) {
                                super.badMessage(
                                        failure.getCode() >= 500
                                                ? new BadMessageException(400, failure.getReason(), failure)
                                                : failure);
                            }
                        };
                    }
                };
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        return configure(connection, connector, endPoint);
    }
}
