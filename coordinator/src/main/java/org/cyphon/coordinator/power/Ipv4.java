package org.cyphon.coordinator.power;

/** Dotted-quad IPv4 literals: wake-up targets are addresses, never names to look up. */
final class Ipv4 {
    private Ipv4() {}

    static boolean isLiteral(String s) {
        if (s == null) return false;
        String[] parts = s.strip().split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** The address's four bytes; the caller checked {@link #isLiteral}. */
    static byte[] bytes(String s) {
        String[] parts = s.strip().split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(parts[i]);
        return b;
    }
}
