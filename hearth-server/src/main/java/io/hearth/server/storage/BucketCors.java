package io.hearth.server.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Buckets' CORS configurations (PutBucketCors, GetBucketCors, DeleteBucketCors), kept in the
 * object store's state folder ({@code buckets/<bucket>/cors.xml}), and the matching S3 does: the
 * first rule whose AllowedOrigin (with at most one {@code *}), AllowedMethod and, for a preflight,
 * AllowedHeader entries cover the request decides the answer's CORS headers.
 */
final class BucketCors {
    private static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");
    private static final int MAX_RULES = 100;
    /** S3's limit on a CORS configuration document. */
    static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    /** One CORSRule. */
    record Rule(String id, List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders, List<String> exposeHeaders,
            Integer maxAgeSeconds) {
        Rule {
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedMethods = List.copyOf(allowedMethods);
            allowedHeaders = List.copyOf(allowedHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }

        boolean covers(String origin, String method, List<String> requestedHeaders) {
            return allowedOrigins.stream().anyMatch(pattern -> wildcardMatches(pattern, origin, false))
                    && allowedMethods.contains(method)
                    && requestedHeaders.stream().allMatch(header -> allowedHeaders.stream().anyMatch(pattern -> wildcardMatches(pattern, header, true)));
        }

        /** The Access-Control-Allow-Origin a match answers with: {@code *} for a rule open to every origin. */
        String allowOrigin(String origin) {
            return allowedOrigins.contains("*") ? "*" : origin;
        }
    }

    private final Path root;

    BucketCors(Path root) {
        this.root = root;
    }

    private Path file(String bucket) {
        return root.resolve(bucket).resolve("cors.xml");
    }

    /** Parses, checks and stores a bucket's configuration (replacing the one it had). */
    void put(String bucket, byte[] document) {
        List<Rule> rules = parse(document);
        Path file = file(bucket);
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling("cors.xml.partial");
            Files.writeString(partial, serialize(rules), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the CORS configuration of bucket " + bucket, e);
        }
    }

    Optional<String> get(String bucket) {
        Path file = file(bucket);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the CORS configuration of bucket " + bucket, e);
        }
    }

    void delete(String bucket) {
        try {
            Files.deleteIfExists(file(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the CORS configuration of bucket " + bucket, e);
        }
    }

    /** The rule that allows a request (or preflight) from {@code origin}, if the bucket has one. */
    Optional<Rule> find(String bucket, String origin, String method, List<String> requestedHeaders) {
        Optional<String> stored = get(bucket);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        return parse(stored.get().getBytes(StandardCharsets.UTF_8)).stream()
                .filter(rule -> rule.covers(origin, method, requestedHeaders))
                .findFirst();
    }

    static List<Rule> parse(byte[] document) {
        Element configuration;
        try {
            configuration = newBuilder().parse(new ByteArrayInputStream(document)).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw S3Error.malformedXml();
        }
        if (!"CORSConfiguration".equals(localName(configuration))) {
            throw S3Error.malformedXml();
        }
        List<Rule> rules = new ArrayList<>();
        for (Element ruleElement : children(configuration, "CORSRule")) {
            List<String> origins = texts(ruleElement, "AllowedOrigin");
            List<String> methods = texts(ruleElement, "AllowedMethod");
            if (origins.isEmpty() || methods.isEmpty()) {
                throw S3Error.malformedXml();
            }
            for (String method : methods) {
                if (!METHODS.contains(method)) {
                    throw new S3Error("InvalidRequest", 400, "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
                }
            }
            for (String origin : origins) {
                if (origin.indexOf('*') != origin.lastIndexOf('*')) {
                    throw new S3Error("InvalidRequest", 400, "AllowedOrigin \"" + origin + "\" can not have more than one wildcard.");
                }
            }
            List<String> headers = texts(ruleElement, "AllowedHeader");
            for (String header : headers) {
                if (header.indexOf('*') != header.lastIndexOf('*')) {
                    throw new S3Error("InvalidRequest", 400, "AllowedHeader \"" + header + "\" can not have more than one wildcard.");
                }
            }
            List<String> maxAge = texts(ruleElement, "MaxAgeSeconds");
            Integer maxAgeSeconds = null;
            if (!maxAge.isEmpty()) {
                try {
                    maxAgeSeconds = Integer.valueOf(maxAge.get(0));
                } catch (NumberFormatException e) {
                    throw S3Error.malformedXml();
                }
            }
            List<String> ids = texts(ruleElement, "ID");
            rules.add(new Rule(ids.isEmpty() ? null : ids.get(0), origins, methods, headers, texts(ruleElement, "ExposeHeader"), maxAgeSeconds));
        }
        if (rules.isEmpty()) {
            throw S3Error.malformedXml();
        }
        if (rules.size() > MAX_RULES) {
            throw new S3Error("InvalidRequest", 400, "The number of CORS rules should not exceed allowed limit of " + MAX_RULES + " rules.");
        }
        return rules;
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // No DTDs and no external entities: the document comes from any client.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("Cannot configure an XML parser", e);
        }
    }

    static String serialize(List<Rule> rules) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("CORSConfiguration");
            xml.writeDefaultNamespace(NAMESPACE);
            for (Rule rule : rules) {
                xml.writeStartElement("CORSRule");
                if (rule.id() != null) {
                    element(xml, "ID", rule.id());
                }
                for (String header : rule.allowedHeaders()) {
                    element(xml, "AllowedHeader", header);
                }
                for (String method : rule.allowedMethods()) {
                    element(xml, "AllowedMethod", method);
                }
                for (String origin : rule.allowedOrigins()) {
                    element(xml, "AllowedOrigin", origin);
                }
                for (String header : rule.exposeHeaders()) {
                    element(xml, "ExposeHeader", header);
                }
                if (rule.maxAgeSeconds() != null) {
                    element(xml, "MaxAgeSeconds", rule.maxAgeSeconds().toString());
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write a CORS configuration", e);
        }
        return text.toString();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && name.equals(localName(element))) {
                children.add(element);
            }
        }
        return children;
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(element -> element.getTextContent().trim()).toList();
    }

    private static String localName(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getNodeName();
    }

    /** S3's wildcard match: one {@code *} stands for any characters; header names compare without case. */
    static boolean wildcardMatches(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        int star = p.indexOf('*');
        if (star < 0) {
            return p.equals(v);
        }
        String before = p.substring(0, star);
        String after = p.substring(star + 1);
        return v.length() >= before.length() + after.length() && v.startsWith(before) && v.endsWith(after);
    }
}
