package io.hearth.spark.sql;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * HiveServer2's HTTP transport ({@code jdbc:hive2://HOST:PORT/default;transportMode=http;httpPath=cliservice}): each
 * POST to {@code /cliservice} carries one Thrift call in the binary protocol, answered by the engine's running
 * Thrift service, so HTTP clients share the sessions and the context of binary ones. Hearth serves it itself because
 * Spark's own HTTP service binds every interface, whatever its bind host says; this one binds only the engine's address.
 */
final class ThriftHttpTransport implements AutoCloseable {
    static final String PATH = "/cliservice";

    private final HttpServer server;
    private final ExecutorService workers;
    private final TCLIService.Processor<TCLIService.Iface> processor;

    ThriftHttpTransport(InetSocketAddress address, TCLIService.Iface service) throws IOException {
        this.processor = new TCLIService.Processor<>(service);
        this.server = HttpServer.create(address, 64);
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "hearth-thrift-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext(PATH, this::handle);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] request;
            try (InputStream body = exchange.getRequestBody()) {
                request = body.readAllBytes();
            }
            TMemoryBuffer response = new TMemoryBuffer(4096);
            try {
                processor.process(new TBinaryProtocol(new TMemoryInputTransport(request)), new TBinaryProtocol(response));
            } catch (TException e) {
                byte[] message = ("Not a HiveServer2 Thrift call: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-thrift");
            exchange.sendResponseHeaders(200, response.length());
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.getArray(), 0, response.length());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
