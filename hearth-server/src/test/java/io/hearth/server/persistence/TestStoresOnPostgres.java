package io.hearth.server.persistence;

import io.hearth.server.testing.TestingPostgres;
import org.junit.jupiter.api.AfterEach;

/** The store contract on PostgreSQL (a fresh schema per test; see TestingPostgres). */
class TestStoresOnPostgres extends StoreContract {
    private TestingPostgres postgres;

    @Override
    protected Database openDatabase() {
        postgres = TestingPostgres.create();
        return Database.open(postgres.jdbcUrl(), null, null);
    }

    @Override
    protected Database reopenDatabase() {
        return Database.open(postgres.jdbcUrl(), null, null);
    }

    @Override
    protected java.util.List<String> crashingWriterDatabase() {
        return java.util.List.of("url", postgres.jdbcUrl());
    }

    @AfterEach
    void dropSchema() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @org.junit.jupiter.api.Test
    void aSecondServerOnTheSameSchemaIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Database.open(postgres.jdbcUrl(), null, null))
                .isInstanceOf(io.hearth.server.HearthException.class)
                .hasMessageStartingWith("Another Hearth is already using the database jdbc:postgresql:");
    }
}
