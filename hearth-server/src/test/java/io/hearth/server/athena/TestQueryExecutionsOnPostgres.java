package io.hearth.server.athena;

import io.hearth.server.persistence.Database;
import io.hearth.server.testing.TestingPostgres;
import org.junit.jupiter.api.AfterEach;

/** The query lifecycle on PostgreSQL (a fresh schema per test; see TestingPostgres). */
class TestQueryExecutionsOnPostgres extends QueryExecutionsContract {
    private TestingPostgres postgres;

    @Override
    protected Database openDatabase() {
        postgres = TestingPostgres.create();
        return Database.open(postgres.jdbcUrl(), null, null);
    }

    @AfterEach
    void dropSchema() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
