package io.hearth.server.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.HearthException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestAthenaSql {
    @Test
    void doubleQuotedIdentifiersBecomeBackQuoted() {
        assertThat(AthenaSql.toSpark("SELECT \"my col\", \"a\"\"b\" FROM \"db\".\"t`x\"", List.of()))
                .isEqualTo("SELECT `my col`, `a\"b` FROM `db`.`t``x`");
    }

    @Test
    void stringsCommentsAndBackQuotesAreCopiedAsTheyAre() {
        String sql = "SELECT 'it''s \"x\" ?', `a\"b` -- \"c\" ?\n/* \"d\" ? */ FROM t";
        assertThat(AthenaSql.toSpark(sql, List.of())).isEqualTo(sql);
    }

    @Test
    void placeholdersTakeTheParametersInOrder() {
        assertThat(AthenaSql.toSpark("SELECT * FROM t WHERE a = ? AND b = ? AND c = '?'", List.of("'x'", "42")))
                .isEqualTo("SELECT * FROM t WHERE a = 'x' AND b = 42 AND c = '?'");
    }

    @Test
    void aParameterCountThatDoesNotMatchIsRefused() {
        assertThatThrownBy(() -> AthenaSql.toSpark("SELECT ?", List.of())).isInstanceOf(HearthException.class)
                .hasMessageContaining("more ? placeholders");
        assertThatThrownBy(() -> AthenaSql.toSpark("SELECT ?", List.of("1", "2"))).isInstanceOf(HearthException.class)
                .hasMessageContaining("2 ExecutionParameters were given for 1");
    }
}
