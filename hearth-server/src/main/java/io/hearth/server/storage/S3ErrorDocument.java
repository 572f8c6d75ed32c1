package io.hearth.server.storage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** S3's XML error document, for the errors Hearth answers itself (S3Proxy writes its own the same way). */
final class S3ErrorDocument {
    private static final Logger LOG = LoggerFactory.getLogger(S3ErrorDocument.class);
    /** What S3Proxy sends as x-amz-request-id, used for the errors Hearth answers itself too. */
    static final String REQUEST_ID = "4442587FB7D0A2F9";

    private S3ErrorDocument() {}

    /** Writes S3's error document (no body for HEAD), unless the answer has begun already. */
    static void send(HttpServletRequest request, HttpServletResponse response, S3Error error) throws IOException {
        if (response.isCommitted()) {
            LOG.debug("Cannot report {} for {}: the response was already sent", error.code(), request.getRequestURI());
            return;
        }
        response.resetBuffer();
        response.setStatus(error.status());
        if (response.getHeader("x-amz-request-id") == null) {
            response.setHeader("x-amz-request-id", REQUEST_ID);
        }
        if ("HEAD".equals(request.getMethod())) {
            return;
        }
        response.setContentType("application/xml");
        response.setCharacterEncoding("UTF-8");
        try (Writer writer = response.getWriter()) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(writer);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("Error");
            element(xml, "Code", error.code());
            element(xml, "Message", error.getMessage());
            for (Map.Entry<String, String> entry : new TreeMap<>(error.elements()).entrySet()) {
                element(xml, entry.getKey(), entry.getValue());
            }
            element(xml, "RequestId", REQUEST_ID);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IOException("Cannot write the S3 error document", e);
        }
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(xmlText(text));
        xml.writeEndElement();
    }

    /** Characters XML 1.0 cannot hold (most control characters, lone surrogates) become U+FFFD. */
    private static String xmlText(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> clean.appendCodePoint(
                c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF
                        ? c : 0xFFFD));
        return clean.toString();
    }
}
