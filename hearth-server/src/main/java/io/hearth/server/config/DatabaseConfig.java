package io.hearth.server.config;

import java.util.List;

/**
 * Settings of the control-plane database, where clusters, steps and sweeps are kept: an embedded
 * H2 database under the data directory unless a JDBC URL (PostgreSQL) is given.
 *
 * @param url a JDBC URL, or null for the embedded database
 */
public record DatabaseConfig(String url, String user, String password) {
    public static final Setting<String> URL = Setting.optionalText("database.url");
    public static final Setting<String> USER = Setting.optionalText("database.user");
    public static final Setting<String> PASSWORD = Setting.optionalText("database.password");

    static final List<Setting<?>> SETTINGS = List.of(URL, USER, PASSWORD);

    static DatabaseConfig from(SettingValues values) {
        return new DatabaseConfig(values.get(URL), values.get(USER), values.get(PASSWORD));
    }

    /** True when the database is the embedded one under the data directory. */
    public boolean embedded() {
        return url == null;
    }
}
