package io.csvx.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/// Reads IPv4 literals the way `inet_aton` and browsers do (`2130706433`, `0x7f000001`, `0177.1`)
/// so that such spellings are classified as the address they mean instead of going to DNS.
final class HostLiterals {
    private HostLiterals() {
    }

    static Optional<InetAddress> parse(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            try {
                return Optional.of(InetAddress.getByName(h)); // IPv6 literal: no DNS
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = number(parts[i]);
            if (v == null) {
                return Optional.empty();
            }
            values[i] = v;
        }
        long addr = 0;
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            if (values[i] > 0xFF) {
                return Optional.empty();
            }
            addr |= values[i] << (24 - 8 * i);
        }
        long lastMax = (1L << (8 * (4 - last))) - 1;
        if (values[last] > lastMax) {
            return Optional.empty();
        }
        addr |= values[last];
        byte[] bytes = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        try {
            return Optional.of(InetAddress.getByAddress(host, bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Long number(String part) {
        if (part.isEmpty()) {
            return null;
        }
        try {
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            if (!part.chars().allMatch(Character::isDigit)) {
                return null;
            }
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
