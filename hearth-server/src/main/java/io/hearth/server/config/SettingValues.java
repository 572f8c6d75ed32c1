package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** The texts of the settings, by key, from which each feature's config class reads its own. */
record SettingValues(Map<String, String> texts) {
    SettingValues {
        texts = Map.copyOf(requireNonNull(texts, "texts is null"));
    }

    <T> T get(Setting<T> setting) {
        String text = texts.get(setting.key());
        return text == null ? setting.defaultValue() : setting.parse(text);
    }
}
