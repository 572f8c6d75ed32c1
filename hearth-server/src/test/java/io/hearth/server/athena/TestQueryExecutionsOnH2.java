package io.hearth.server.athena;

import io.hearth.server.persistence.Database;

/** The query lifecycle on the embedded default: an H2 file. */
class TestQueryExecutionsOnH2 extends QueryExecutionsContract {
    @Override
    protected Database openDatabase() {
        return Database.openEmbedded(directory.resolve("db"));
    }
}
