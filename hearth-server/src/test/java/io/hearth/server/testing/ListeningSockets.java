package io.hearth.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets that a process tree listens on, as Linux reports them: LISTEN entries of
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}, matched to processes by the socket inodes
 * among their {@code /proc/<pid>/fd} links (what {@code ss -ltnp} shows).
 */
public final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** One listening socket and the process holding it. */
    public record Socket(InetAddress address, int port, long pid, String commandLine) {
        /** 127.0.0.0/8 or ::1; an IPv4-mapped IPv6 address reads as its IPv4 address. */
        public boolean isLoopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            String shown = commandLine.length() > 200 ? commandLine.substring(0, 100) + " ... " + commandLine.substring(commandLine.length() - 100) : commandLine;
            return address.getHostAddress() + ":" + port + " (process " + pid + ": " + shown + ")";
        }
    }

    /** The listening sockets held by {@code root} and every process descended from it. */
    public static List<Socket> heldBy(ProcessHandle root) {
        Map<Long, ProcessHandle> processes = new HashMap<>();
        processes.put(root.pid(), root);
        root.descendants().forEach(process -> processes.put(process.pid(), process));
        Map<String, ProcessHandle> byInode = new HashMap<>();
        for (ProcessHandle process : processes.values()) {
            for (String inode : socketInodes(process.pid())) {
                byInode.put(inode, process);
            }
        }
        List<Socket> sockets = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String[] entry : listening(Path.of(table))) {
                ProcessHandle holder = byInode.get(entry[2]);
                if (holder != null) {
                    sockets.add(new Socket(address(entry[0]), Integer.parseInt(entry[1], 16), holder.pid(), commandLine(holder)));
                }
            }
        }
        return sockets;
    }

    /** {address hex, port hex, inode} of each LISTEN entry. */
    private static List<String[]> listening(Path table) {
        if (!Files.isReadable(table)) {
            return List.of();
        }
        List<String[]> entries = new ArrayList<>();
        try (Stream<String> lines = Files.lines(table)) {
            lines.skip(1).map(String::trim).map(line -> line.split("\\s+")).filter(fields -> fields.length > 9 && fields[3].equals(LISTEN))
                    .forEach(fields -> {
                        String[] local = fields[1].split(":");
                        entries.add(new String[] {local[0], local[1], fields[9]});
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** The kernel prints addresses as 32-bit words in host (little-endian) order. */
    private static InetAddress address(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> socketInodes(long pid) {
        List<String> inodes = new ArrayList<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // Closed meanwhile.
                }
            }
        } catch (IOException e) {
            // The process ended meanwhile.
        }
        return inodes;
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("?");
    }
}
