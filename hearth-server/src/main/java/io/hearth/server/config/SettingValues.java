package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** The texts of the settings, by key, from which each feature's config class reads its own. */
record SettingValues(Map<String, String> texts) {
    SettingValues {
        texts = Map.copyOf(requireNonNull(texts, "texts is null"));
    }

    /** The setting's value; every setting has a text here, its default's when nobody set it. */
    <T> T get(Setting<T> setting) {
        return setting.parse(requireNonNull(texts.get(setting.key()), () -> "no text for setting " + setting.key()));
    }
}
