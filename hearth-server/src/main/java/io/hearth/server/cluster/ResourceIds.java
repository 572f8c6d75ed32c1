package io.hearth.server.cluster;

import java.security.SecureRandom;

/** New identifiers in EMR's formats: j-, s-, ig-, ci- followed by 13 upper-case letters and digits; i- with 17 hex digits. */
public final class ResourceIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ResourceIds() {}

    public static String newClusterId() {
        return "j-" + random(ALPHANUMERIC, 13);
    }

    public static String newStepId() {
        return "s-" + random(ALPHANUMERIC, 13);
    }

    public static String newInstanceGroupId() {
        return "ig-" + random(ALPHANUMERIC, 13);
    }

    public static String newInstanceId() {
        return "ci-" + random(ALPHANUMERIC, 13);
    }

    public static String newEc2InstanceId() {
        return "i-" + random(HEX, 17);
    }

    private static String random(char[] alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(chars);
    }
}
