package io.hearth.server.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The ports and configuration digests of supervised daemons that keep their ports for the life of the data directory. */
public final class DaemonPorts {
    private DaemonPorts() {}

    /**
     * The configured port (above 0); else the port kept from earlier runs, unless another program took it meanwhile;
     * else a free one. {@code forWhat} names the daemon in the error when no port is free.
     */
    public static int choose(int configured, String address, Optional<Integer> previousPort, boolean previousStillRunning, String forWhat) {
        if (configured > 0) {
            return configured;
        }
        if (previousPort.isPresent() && (previousStillRunning || isFree(address, previousPort.get()))) {
            return previousPort.get();
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port for " + forWhat, e);
        }
    }

    public static boolean isFree(String address, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A digest of a daemon's command and configuration: a survivor with another digest is replaced, not adopted. */
    public static String digest(List<String> command, Map<String, String> configuration) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\u0000", command).getBytes(StandardCharsets.UTF_8));
            sha.update(new TreeMap<>(configuration).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
