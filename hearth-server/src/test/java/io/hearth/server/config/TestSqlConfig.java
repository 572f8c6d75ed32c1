package io.hearth.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestSqlConfig {
    @Test
    void theEngineIsSizedFromTheMachineUnlessSet() {
        SqlConfig defaults = HearthConfig.defaults().sql();
        assertThat(defaults.coresOn(8)).isEqualTo(8);
        assertThat(defaults.memoryMbOn(24 * 1024)).isEqualTo(6 * 1024);
        assertThat(defaults.memoryMbOn(2 * 1024)).as("at least 1 GiB").isEqualTo(1024);
        assertThat(defaults.memoryMbOn(256 * 1024)).as("at most 16 GiB").isEqualTo(16 * 1024);

        SqlConfig set = HearthConfig.defaults().with(Map.of("sql.cores", "3", "sql.memory-mb", "2048", "sql.idle-timeout", "0s")).sql();
        assertThat(set.coresOn(8)).isEqualTo(3);
        assertThat(set.memoryMbOn(24 * 1024)).isEqualTo(2048);
        assertThat(set.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.startWithHearth()).isFalse();
    }

    @Test
    void aBadValueNamesTheSetting() {
        assertThatThrownBy(() -> HearthConfig.defaults().with(Map.of("sql.jdbc-port", "70000")))
                .hasMessage("Setting 'sql.jdbc-port' must be between 0 and 65535, not 70000");
    }
}
