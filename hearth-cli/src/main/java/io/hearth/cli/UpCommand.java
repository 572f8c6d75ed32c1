package io.hearth.cli;

import io.hearth.server.HearthServer;
import io.hearth.server.config.HearthConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hearth up}: runs the control plane in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts Hearth in the foreground on 127.0.0.1 and serves the EMR API on one port.",
                "Ctrl-C or SIGTERM stops it and every process it started; clusters and pending steps are kept and resume on the next start."})
final class UpCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public Integer call() throws InterruptedException {
        HearthConfig config = options.toConfig();
        HearthServer server = HearthServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "hearth-shutdown"));
        System.out.println("Hearth is ready at " + server.endpoint() + " (data directory " + config.dataDirectory()
                + "). Point the aws CLI at it with: eval \"$(bin/hearth env)\"");
        server.sqlEngine().ifPresent(engine -> System.out.println("SQL: the Athena API on the same port, JDBC at " + engine.jdbcUrl()
                + " and over HTTP at " + engine.jdbcHttpUrl() + " (the SQL engine starts on the first Athena query)"));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
