package io.hearth.server.http;

import io.hearth.server.ServerContext;
import io.hearth.server.config.HearthConfig;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Hearth's HTTP port: Jetty on the configured address, serving what the features registered on {@link Routes}.
 *
 * @param endpoint where clients reach Hearth: the bound address and the port Jetty listens on (a free one when the setting is 0)
 */
public record HttpFeature(URI endpoint) {

    /** Opens the port, last of all features, and registers its stop on the closer. */
    public static HttpFeature open(ServerContext context, Routes routes) throws Exception {
        HearthConfig config = context.config();
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("hearth-http");
        Server http = new Server(threads);
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        httpConfiguration.setUriCompliance(HearthServlet.URI_COMPLIANCE);
        ServerConnector connector = new ServerConnector(http, new HttpConnectionFactory(httpConfiguration));
        connector.setHost(config.http().bindAddress());
        connector.setPort(config.http().port());
        http.addConnector(connector);
        ServletContextHandler servletContext = new ServletContextHandler();
        servletContext.setContextPath("/");
        servletContext.addServlet(new ServletHolder("hearth", routes.servlet(config)), "/*");
        // The servlet reads the raw request URI itself, so the URIs the compliance mode admits may reach it.
        servletContext.getServletHandler().setDecodeAmbiguousURIs(true);
        http.setHandler(servletContext);
        http.start();
        context.closer().register("the HTTP server", http::stop);
        return new HttpFeature(URI.create("http://" + hostForUri(config.http().bindAddress()) + ":" + connector.getLocalPort()));
    }

    private static String hostForUri(String bindAddress) {
        return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
    }
}
