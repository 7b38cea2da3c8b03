package io.neuralake.server.internal.http;

import io.neuralake.server.internal.Tls;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The HTTP door's connector when TLS is configured: HTTPS only (HTTP/1.1 over TLS 1.2+), nothing in clear. */
final class HttpsConnector {
  private HttpsConnector() {}

  static ServerConnector create(Server jetty, HttpConfiguration http, Tls tls) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(tls.keyStorePassword());
    ssl.setIncludeProtocols(Tls.PROTOCOLS);
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // a client reaching the server by a name or address its certificate lacks is the client's to refuse
    // (curl and browsers do); Jetty's own check would answer 400 even to a client told to trust it anyway
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    return new ServerConnector(jetty, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(https));
  }
}
