package io.hearth.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCloser {
    @Test
    void closesNewestFirstAndOnlyOnce() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer();
        closer.register("database", () -> closed.add("database"));
        closer.register("clusters", () -> closed.add("clusters"));
        closer.register("http", () -> closed.add("http"));
        closer.close();
        closer.close();
        assertThat(closed).containsExactly("http", "clusters", "database");
    }

    @Test
    void aFailingCloseDoesNotKeepTheRestOpen() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer();
        closer.register("database", () -> closed.add("database"));
        closer.register("metastore", () -> {
            throw new IllegalStateException("will not stop");
        });
        closer.register("http", () -> closed.add("http"));
        closer.close();
        assertThat(closed).containsExactly("http", "database");
    }

    @Test
    void registerReturnsWhatItRegisters() {
        Closer closer = new Closer();
        AutoCloseable resource = () -> { };
        assertThat(closer.register("resource", resource)).isSameAs(resource);
    }
}
