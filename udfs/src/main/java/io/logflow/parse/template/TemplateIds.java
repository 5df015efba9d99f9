package io.logflow.parse.template;

/** Template ids: a 64-bit hash of the seed and a line's masked tokens, written as 16 lowercase hex digits. */
final class TemplateIds {
    private TemplateIds() {}

    /** FNV-1a over the seed's bytes and each token's UTF-16 units (a separator after each), then a final mix. */
    static long hash(long seed, String[] tokens) {
        long h = 0xcbf29ce484222325L;
        for (int b = 0; b < 8; b++) {
            h = (h ^ ((seed >>> (8 * b)) & 0xff)) * 0x100000001b3L;
        }
        for (String t : tokens) {
            for (int i = 0; i < t.length(); i++) {
                h = (h ^ t.charAt(i)) * 0x100000001b3L;
            }
            h = (h ^ 0x10000) * 0x100000001b3L; // not a UTF-16 unit: "ab","c" and "a","bc" differ
        }
        return mix(h);
    }

    /** The next candidate when a held template already has {@code h}. */
    static long remix(long h) {
        return mix(h + 0x9e3779b97f4a7c15L);
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    static String hex(long h) {
        String s = Long.toHexString(h);
        return s.length() == 16 ? s : "0".repeat(16 - s.length()) + s;
    }
}
