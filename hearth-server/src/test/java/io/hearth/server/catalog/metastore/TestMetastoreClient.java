package io.hearth.server.catalog.metastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's bounds, against a socket that only counts connections: the calls here never use the
 * thrift client, so no metastore is needed (TestMetastoreServer covers real calls).
 */
class TestMetastoreClient {
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final List<Socket> accepted = new ArrayList<>();
    private ServerSocket listener;
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                    connectionsAccepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        acceptor.join(5_000);
        synchronized (accepted) {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void manyCallersRunAtMostTheLimitAtOnceOnConnectionsThatAreKept() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(20);
        try (MetastoreClient client = new MetastoreClient("127.0.0.1", listener.getLocalPort(), 10_000, 3)) {
            for (int round = 0; round < 3; round++) {
                List<Future<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(callers.submit(() -> client.call(metastore -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        sleepQuietly(20);
                        running.decrementAndGet();
                        return 1;
                    })));
                }
                for (Future<Integer> call : calls) {
                    assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(1);
                }
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(mostAtOnce.get()).isEqualTo(3);
        // 60 calls, three at a time, on three connections opened once.
        assertThat(connectionsAccepted.get()).isEqualTo(3);
    }

    @Test
    void aCallerThatGetsNoTurnWithinTheTimeoutIsToldTheMetastoreIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try (MetastoreClient client = new MetastoreClient("127.0.0.1", listener.getLocalPort(), 300, 1)) {
            Future<Object> held = holder.submit(() -> client.call(metastore -> {
                holding.countDown();
                awaitQuietly(release);
                return null;
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> client.call(metastore -> null))
                    .isInstanceOf(TTransportException.class)
                    .hasMessageContaining("The metastore is busy");
            release.countDown();
            held.get(10, TimeUnit.SECONDS);
            // The turn is back: the next call runs.
            assertThat(client.<String>call(metastore -> "ran")).isEqualTo("ran");
        } finally {
            holder.shutdownNow();
        }
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> new MetastoreClient("127.0.0.1", 1, 1_000, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCalls");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
