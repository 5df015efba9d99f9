package io.logflow.parse.template;

/** English month and weekday names, full or in three letters: the words of a date, which vary like its numbers. */
final class Calendar {
    private Calendar() {}

    private static final String[] NAMES = {
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

    /** True for {@code Jul}, {@code JUL}, {@code July}, {@code Thu}, {@code Thursday} (trailing punctuation aside). */
    static boolean isName(String token) {
        int n = token.length();
        while (n > 0 && !Character.isLetter(token.charAt(n - 1))) {
            n--;
        }
        if (n < 3) {
            return false;
        }
        for (String name : NAMES) {
            if ((n == 3 || n == name.length()) && name.regionMatches(true, 0, token, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
