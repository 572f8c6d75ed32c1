package io.hearth.server.catalog.metastore;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocolException;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * Thrift connections to the Hive Metastore, pooled: a thrift client serves one call at a time, so
 * each call borrows a connection and returns it. A call that fails on a pooled connection because
 * the connection broke (the metastore restarted, say) is retried once on a fresh one; the
 * metastore's own answers (NoSuchObjectException, AlreadyExistsException, ...) pass through.
 */
public final class MetastoreClient implements AutoCloseable {
    /** One call against the metastore's thrift interface. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(ThriftHiveMetastore.Iface metastore) throws TException;
    }

    private static final int MAX_IDLE = 16;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    public MetastoreClient(String host, int port, int timeoutMillis) {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    public int port() {
        return port;
    }

    public <T> T call(Call<T> call) throws TException {
        Connection connection = borrow();
        boolean reused = connection.reused;
        try {
            T result = call.apply(connection.client);
            release(connection);
            return result;
        } catch (TTransportException | TProtocolException e) {
            connection.close();
            if (!reused) {
                throw e;
            }
            // A pooled connection may have gone stale; one more try on a new connection.
            Connection fresh = open();
            try {
                T result = call.apply(fresh.client);
                release(fresh);
                return result;
            } catch (TTransportException | TProtocolException again) {
                fresh.close();
                throw again;
            } catch (TException | RuntimeException again) {
                release(fresh);
                throw again;
            }
        } catch (TException | RuntimeException e) {
            release(connection);
            throw e;
        }
    }

    private Connection borrow() throws TTransportException {
        synchronized (idle) {
            if (closed) {
                throw new TTransportException(TTransportException.NOT_OPEN, "The metastore client is closed");
            }
            Connection pooled = idle.pollFirst();
            if (pooled != null) {
                pooled.reused = true;
                return pooled;
            }
        }
        return open();
    }

    private Connection open() throws TTransportException {
        TSocket socket = new TSocket(host, port, timeoutMillis);
        socket.open();
        return new Connection(socket, new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)));
    }

    private void release(Connection connection) {
        synchronized (idle) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(connection);
                return;
            }
        }
        connection.close();
    }

    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(Connection::close);
            idle.clear();
        }
    }

    private static final class Connection {
        private final TTransport transport;
        private final ThriftHiveMetastore.Client client;
        private boolean reused;

        Connection(TTransport transport, ThriftHiveMetastore.Client client) {
            this.transport = transport;
            this.client = client;
        }

        void close() {
            transport.close();
        }
    }
}
