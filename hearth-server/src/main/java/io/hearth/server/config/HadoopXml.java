package io.hearth.server.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Writes Hadoop-style configuration files (core-site.xml, hive-site.xml): sorted, escaped properties, readable by their owner only. */
public final class HadoopXml {
    private HadoopXml() {}

    public static void write(Path file, Map<String, String> values) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Written by Hearth -->\n<configuration>\n");
        new TreeMap<>(values).forEach((name, value) -> xml.append("  <property>\n    <name>").append(escape(name))
                .append("</name>\n    <value>").append(escape(value)).append("</value>\n  </property>\n"));
        xml.append("</configuration>\n");
        OwnerOnlyFiles.writeString(file, xml.toString());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
