package io.hearth.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Stage folders are named as Spark names them, so a pipeline written in parts loads as one written whole. */
class TestPipelineWriting {
    @Test
    void stageFoldersArePaddedToTheDigitsOfTheStageCount() {
        assertThat(PipelineWriting.stageFolder(7, 8, "logreg_c900b35d5ffc")).isEqualTo("7_logreg_c900b35d5ffc");
        assertThat(PipelineWriting.stageFolder(3, 12, "sql_8081ea378604")).isEqualTo("03_sql_8081ea378604");
        assertThat(PipelineWriting.stageFolder(11, 12, "gbtc_1")).isEqualTo("11_gbtc_1");
    }
}
