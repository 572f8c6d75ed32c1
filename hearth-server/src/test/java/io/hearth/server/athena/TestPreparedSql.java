package io.hearth.server.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestPreparedSql {
    @Test
    void readsPrepareExecuteAndDeallocateInAnyCase() {
        assertThat(PreparedSql.parse("  prepare my_q FROM\nSELECT * FROM t WHERE a = ?;"))
                .contains(new PreparedSql.Prepare("my_q", "SELECT * FROM t WHERE a = ?"));
        assertThat(PreparedSql.parse("EXECUTE my_q")).contains(new PreparedSql.Execute("my_q", List.of()));
        assertThat(PreparedSql.parse("Deallocate Prepare my_q")).contains(new PreparedSql.Deallocate("my_q"));
    }

    @Test
    void splitsUsingValuesAtTheCommasOutsideStringsAndParentheses() {
        assertThat(PreparedSql.parse("EXECUTE q USING 1, 'a, ''b''', DATE '2024-01-01', CAST(2 AS DOUBLE), concat('x', 'y')"))
                .contains(new PreparedSql.Execute("q", List.of("1", "'a, ''b'''", "DATE '2024-01-01'", "CAST(2 AS DOUBLE)", "concat('x', 'y')")));
    }

    @Test
    void leavesOtherStatementsToTheEngine() {
        assertThat(PreparedSql.parse("SELECT 'EXECUTE q'")).isEmpty();
        assertThat(PreparedSql.parse("EXECUTE")).isEmpty();
        assertThat(PreparedSql.parse("PREPARE q")).isEmpty();
    }
}
