package io.hearth.spark.metastore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.apache.hadoop.hive.common.JvmPauseMonitor;
import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.conf.HiveConf.ConfVars;
import org.apache.hadoop.hive.metastore.HiveMetaStore;
import org.apache.hadoop.hive.metastore.IHMSHandler;
import org.apache.hadoop.hive.metastore.TServerSocketKeepAlive;
import org.apache.hadoop.hive.metastore.TSetIpAddressProcessor;
import org.apache.hadoop.hive.metastore.TUGIBasedProcessor;
import org.apache.hadoop.hive.thrift.TUGIContainingTransport;
import org.apache.hive.common.util.HiveStringUtils;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolFactory;
import org.apache.thrift.server.ServerContext;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TServerEventHandler;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TFramedTransport;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TServerTransport;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the catalog's Hive Metastore (the Hive 2.3.9 classes of the Spark runtime) on one address.
 * Hive's own entry point, {@code HiveMetaStore.main}, always listens on every interface: its
 * {@code startMetaStore} binds a wildcard {@code TServerSocket} and has no setting for the host.
 * This main builds the same thrift server, for the configuration Hearth writes (no SASL, no SSL),
 * on the address it is given.
 *
 * <p>Usage: {@code HiveMetastoreMain --host <address> --port <port>}
 */
public final class HiveMetastoreMain {
    private static final Logger LOG = LoggerFactory.getLogger(HiveMetastoreMain.class);

    private HiveMetastoreMain() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = address(List.of(args));
        HiveConf.setLoadMetastoreConfig(true);
        HiveConf conf = new HiveConf(HiveMetaStore.HMSHandler.class);
        HiveStringUtils.startupShutdownMessage(HiveMetastoreMain.class, args, LOG);
        LOG.info("Starting hive metastore on {} port {}", address.getAddress().getHostAddress(), address.getPort());
        TServer server = server(conf, address);
        try {
            new JvmPauseMonitor(conf).start();
        } catch (RuntimeException e) {
            LOG.warn("Cannot start the JVM pause monitor", e);
        }
        LOG.info("Started the new metaserver on {} port {}", address.getAddress().getHostAddress(), address.getPort());
        server.serve();
    }

    /** {@code --host ADDRESS --port PORT}, both required. */
    static InetSocketAddress address(List<String> args) throws java.net.UnknownHostException {
        String host = null;
        Integer port = null;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--host" -> host = args.get(i + 1);
                case "--port" -> port = Integer.parseInt(args.get(i + 1));
                default -> throw usage();
            }
        }
        if (host == null || port == null || args.size() != 4) {
            throw usage();
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static IllegalArgumentException usage() {
        return new IllegalArgumentException("Usage: HiveMetastoreMain --host <address> --port <port>");
    }

    /**
     * The thrift server HiveMetaStore.startMetaStore builds when SASL and SSL are off: the same
     * protocols, transports, processors and thread pool, read from the same settings.
     */
    static TServer server(HiveConf conf, InetSocketAddress address) throws Exception {
        if (conf.getBoolVar(ConfVars.METASTORE_USE_THRIFT_SASL) || conf.getBoolVar(ConfVars.HIVE_METASTORE_USE_SSL)) {
            throw new IllegalStateException("Cannot start the metastore: " + ConfVars.METASTORE_USE_THRIFT_SASL.varname + " and "
                    + ConfVars.HIVE_METASTORE_USE_SSL.varname + " are not supported here");
        }
        long maxMessageSize = conf.getLongVar(ConfVars.METASTORESERVERMAXMESSAGESIZE);
        boolean framed = conf.getBoolVar(ConfVars.METASTORE_USE_THRIFT_FRAMED_TRANSPORT);
        boolean compact = conf.getBoolVar(ConfVars.METASTORE_USE_THRIFT_COMPACT_PROTOCOL);
        TProtocolFactory protocol = compact ? new TCompactProtocol.Factory() : new TBinaryProtocol.Factory();
        TProtocolFactory inputProtocol = compact
                ? new TCompactProtocol.Factory(maxMessageSize, maxMessageSize)
                : new TBinaryProtocol.Factory(true, true, maxMessageSize, maxMessageSize);

        HiveMetaStore.HMSHandler baseHandler = new HiveMetaStore.HMSHandler("new db based metaserver", conf, false);
        IHMSHandler handler = HiveMetaStore.newRetryingHMSHandler(baseHandler, conf);
        TTransportFactory transport;
        TProcessor processor;
        if (conf.getBoolVar(ConfVars.METASTORE_EXECUTE_SET_UGI)) {
            transport = framed ? chain(new TFramedTransport.Factory(), new TUGIContainingTransport.Factory()) : new TUGIContainingTransport.Factory();
            processor = new TUGIBasedProcessor<>(handler);
            LOG.info("Starting DB backed MetaStore Server with SetUGI enabled");
        } else {
            transport = framed ? new TFramedTransport.Factory() : new TTransportFactory();
            processor = new TSetIpAddressProcessor<>(handler);
            LOG.info("Starting DB backed MetaStore Server");
        }

        TServerSocket socket = new TServerSocket(address);
        TServerTransport serverTransport = conf.getBoolVar(ConfVars.METASTORE_TCP_KEEP_ALIVE) ? new TServerSocketKeepAlive(socket) : socket;
        TThreadPoolServer.Args serverArgs = new TThreadPoolServer.Args(serverTransport)
                .processor(processor)
                .transportFactory(transport)
                .protocolFactory(protocol)
                .inputProtocolFactory(inputProtocol)
                .minWorkerThreads(conf.getIntVar(ConfVars.METASTORESERVERMINTHREADS))
                .maxWorkerThreads(conf.getIntVar(ConfVars.METASTORESERVERMAXTHREADS));
        TServer server = new TThreadPoolServer(serverArgs);
        server.setServerEventHandler(new ConnectionEvents());
        return server;
    }

    private static TTransportFactory chain(TTransportFactory outer, TTransportFactory inner) {
        return new TTransportFactory() {
            @Override
            public TTransport getTransport(TTransport transport) {
                return inner.getTransport(outer.getTransport(transport));
            }
        };
    }

    /**
     * What Hive's server does when a client goes: releases the thread's RawStore (its database
     * session) and session settings, with Hive's own private cleanup, so that the next connection the
     * pooled thread serves starts afresh. (Hive also counts connections here when metrics are on;
     * Hearth does not turn them on.)
     */
    private static final class ConnectionEvents implements TServerEventHandler {
        private final Method cleanupRawStore;

        ConnectionEvents() throws NoSuchMethodException {
            cleanupRawStore = HiveMetaStore.class.getDeclaredMethod("cleanupRawStore");
            cleanupRawStore.setAccessible(true);
        }

        @Override
        public void preServe() {}

        @Override
        public ServerContext createContext(TProtocol input, TProtocol output) {
            return null;
        }

        @Override
        public void deleteContext(ServerContext context, TProtocol input, TProtocol output) {
            try {
                cleanupRawStore.invoke(null);
            } catch (IllegalAccessException | InvocationTargetException e) {
                LOG.warn("Cannot clean up the RawStore of a closed connection", e);
            }
        }

        @Override
        public void processContext(ServerContext context, TTransport input, TTransport output) {}
    }
}
