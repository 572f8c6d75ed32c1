package io.hearth.server.catalog.metastore;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>At most {@link #DEFAULT_MAX_CALLS} calls run at once, and their connections are kept: every
 * new connection costs the metastore a thread and a fresh RawStore (a DataNucleus persistence
 * manager, set up under a global lock), and more calls at once than its database pool has
 * connections only queue inside the metastore. Opening a connection per caller under load (50
 * concurrent Glue clients) made GetTable's p50 ten times slower and its tail seconds long; callers
 * beyond the limit wait here, in arrival order, for at most the call timeout.
 */
public final class MetastoreClient implements AutoCloseable {
    /** One call against the metastore's thrift interface. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(ThriftHiveMetastore.Iface metastore) throws TException;
    }

    /** Calls at once: the metastore's database pool holds 10 connections, and one is kept for its own work. */
    public static final int DEFAULT_MAX_CALLS = 8;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final Semaphore calls;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    public MetastoreClient(String host, int port, int timeoutMillis) {
        this(host, port, timeoutMillis, DEFAULT_MAX_CALLS);
    }

    /** A client that runs at most {@code maxCalls} calls at once, each on a connection that is kept for the next. */
    public MetastoreClient(String host, int port, int timeoutMillis, int maxCalls) {
        if (maxCalls < 1) {
            throw new IllegalArgumentException("maxCalls must be at least 1, not " + maxCalls);
        }
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.calls = new Semaphore(maxCalls, true);
    }

    public int port() {
        return port;
    }

    public <T> T call(Call<T> call) throws TException {
        acquireTurn();
        try {
            return callOnPooledConnection(call);
        } finally {
            calls.release();
        }
    }

    private void acquireTurn() throws TTransportException {
        try {
            if (!calls.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new TTransportException(TTransportException.TIMED_OUT,
                        "The metastore is busy: no call finished within " + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TTransportException(TTransportException.UNKNOWN, "Interrupted while waiting for a turn at the metastore");
        }
    }

    private <T> T callOnPooledConnection(Call<T> call) throws TException {
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
            // Never more connections than calls at once: each one left idle is a turn's.
            if (!closed) {
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
