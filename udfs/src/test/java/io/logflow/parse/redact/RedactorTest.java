package io.logflow.parse.redact;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private final Redactor redactor = new Redactor(RedactionRules.defaults());

    @Test
    void jsonTextKeysAreRedactedInsideMessages() {
        assertThat(redactor.redact("body={\"username\":\"bob\",\"password\": \"p@ss w0rd\"}"))
                .isEqualTo("body={\"username\":\"bob\",\"password\": \"[REDACTED]\"}");
    }

    @Test
    void queryStringTokensAreRedactedUpToTheNextParameter() {
        assertThat(redactor.redact("GET /cb?code=1&access_token=abc123&state=x"))
                .isEqualTo("GET /cb?code=1&access_token=[REDACTED]&state=x");
    }

    @Test
    void setCookieKeepsCookieAndAttributeNames() {
        assertThat(redactor.redactValue("res.headers.set-cookie", "sid=abc; Path=/; HttpOnly"))
                .isEqualTo("sid=[REDACTED]; Path=[REDACTED]; HttpOnly");
    }

    @Test
    void basicAuthorizationKeepsItsScheme() {
        assertThat(redactor.redactValue("Authorization", "Basic dXNlcjpwYXNz")).isEqualTo("Basic [REDACTED]");
        assertThat(redactor.redactValue("authorization", "opaque")).isEqualTo("[REDACTED]");
    }

    @Test
    void jwtStandingAloneIsRedacted() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assertThat(redactor.redact("token was " + jwt + " ok")).isEqualTo("token was [REDACTED] ok");
    }

    @Test
    void harmlessLookalikesAreLeftAlone() {
        String[] harmless = {
            "commit 9f3c2ab4e1d0c8b7a6f5e4d3c2b1a0f9e8d7c6b5 merged", // 40 hex: no upper case
            "id 8f507cfc-0000-4000-8000-000000000001",
            "GET /api/v1/Users/12345/Orders/abcdefgh1234 200",
            "bearer token missing", // prose
            "no secrets here: tokens=3 retries=2",
            "a == b",
        };
        for (String s : harmless) {
            assertThat(redactor.redact(s)).as(s).isSameAs(s);
        }
    }

    @Test
    void fieldsAreRedactedByKeyOrByContent() {
        Map<String, String> fields = new HashMap<>();
        fields.put("user.password", "x");
        fields.put("headers.X-Api-Key", "k-1");
        fields.put("note", "used Bearer abcdefghijkl");
        fields.put("plain", "hello");
        redactor.redactFields(fields);
        assertThat(fields).containsEntry("user.password", "[REDACTED]")
                .containsEntry("headers.X-Api-Key", "[REDACTED]")
                .containsEntry("note", "used Bearer [REDACTED]")
                .containsEntry("plain", "hello");
    }

    @Test
    void keysThatMerelyContainPasswordErrOnTheSafeSide() {
        assertThat(redactor.redact("passwordless=true")).isEqualTo("passwordless=[REDACTED]");
    }

    @Test
    void redactingTwiceChangesNothing() {
        String once = redactor.redact("Cookie: a=b; c");
        assertThat(once).isEqualTo("Cookie: a=[REDACTED]; c");
        assertThat(redactor.redact(once)).isEqualTo(once);
    }

    @Test
    void disabledRulesChangeNothing() {
        Redactor off = new Redactor(RedactionRules.none());
        assertThat(off.redact("password=x")).isEqualTo("password=x");
    }

    @Test
    void theShortestSecretsAreStillFound() {
        assertThat(redactor.redact("pwd=x")).isEqualTo("pwd=[REDACTED]");
        assertThat(redactor.redact("pwd")).isEqualTo("pwd");
        Redactor withShortKey = new Redactor(RedactionRules.defaults().withKeys("pw"));
        assertThat(withShortKey.redact("pw=x")).isEqualTo("pw=[REDACTED]");
        Redactor withPattern = new Redactor(RedactionRules.defaults().withPattern("\\d{3}"));
        assertThat(withPattern.redact("123")).isEqualTo("[REDACTED]");
    }

    @Test
    void keysWithFewerLettersThanAnySensitiveKeyAreSensitiveOnlyWhenConfigured() {
        // Times and versions are full of "keys" of digits and a letter or two before a ':' or '=': none is
        // sensitive by default (every built-in sensitive key has three letters or more)...
        String times = "at 11:53:02 on 2024-06-15T10:07:06Z build=1.2.3 v1.2=3";
        assertThat(redactor.redact(times)).isSameAs(times);
        assertThat(redactor.redact("11:53 pwd: hunter2")).isEqualTo("11:53 pwd: [REDACTED]");
        // ...but a configured one is, with or without the punctuation the key comparison ignores.
        Redactor withPin = new Redactor(RedactionRules.defaults().withKeys("4711", "T1"));
        assertThat(withPin.redact("4711: 0000 then 47-11=1234")).isEqualTo("4711: [REDACTED] then 47-11=[REDACTED]");
        assertThat(withPin.redact("t1=x T-1: y")).isEqualTo("t1=[REDACTED] T-1: [REDACTED]");
        assertThat(withPin.redact(times)).isSameAs(times);
    }

    @Property(tries = 2000)
    void theProbingRunCheckAgreesWithACharacterByCharacterScan(
            @ForAll("credentialText") String text, @ForAll("runLengths") int min) {
        int run = 0;
        int longest = 0;
        for (char c : text.toCharArray()) {
            boolean base64 = Character.isLetterOrDigit(c) && c < 128 || "/+".indexOf(c) >= 0;
            run = base64 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        assertThat(Redactor.hasBase64Run(text, min)).isEqualTo(longest >= min);
    }

    @Property(tries = 3000)
    void textThePreCheckPassesByHoldsNoTokenShape(@ForAll("tokenPieces") String text) {
        if (!Redactor.mayHoldTokenShape(text)) {
            assertThat(Redactor.redactTokenShapes(text)).isSameAs(text);
        }
    }

    @Test
    void requestIdsPassTheTokenPreCheckAndSecretsDoNot() {
        assertThat(Redactor.mayHoldTokenShape("START RequestId: 8f507cfc-0000-4000-8000-000000011248 Version: 1"))
                .isFalse();
        String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assertThat(Redactor.mayHoldTokenShape("aws_secret " + key)).isTrue();
        assertThat(redactor.redact("the key " + key + " leaked")).isEqualTo("the key [REDACTED] leaked");
    }

    @Property(tries = 300)
    void verdictsRememberedFromEarlierLinesChangeNothing(@ForAll("keyValueLines") java.util.List<String> lines) {
        Redactor shared = new Redactor(RedactionRules.defaults());
        for (String line : lines) {
            assertThat(shared.redact(line)).isEqualTo(new Redactor(RedactionRules.defaults()).redact(line));
        }
    }

    @Provide
    Arbitrary<java.util.List<String>> keyValueLines() {
        Arbitrary<String> key = Arbitraries.of("user", "password", "Password", "pass_word", "token", "status", "12",
                "api-key", "x", "session_id", "secret", "tok", "cookie", "tokes", "users");
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(key, Arbitraries.of("=", ": ", ":"),
                Arbitraries.of("abc123", "\"q v\"", "42", "")).as((k, sep, v) -> k + sep + v);
        return pair.list().ofMinSize(1).ofMaxSize(6).map(pairs -> String.join(" ", pairs)).list().ofMaxSize(20);
    }

    @Property(tries = 1000)
    void theShortTextLoopAndTheIndexOfScanAgree(@ForAll("credentialText") String text) {
        assertThat(Redactor.scanShort(text)).isEqualTo(Redactor.scanLong(text));
    }

    @Property(tries = 2000)
    void whatTheRedactorSaysIsStorableIsStorable(@ForAll("textWithUnstorableCharacters") String text) {
        String out = redactor.redact(text);
        if (redactor.returnedStorable()) {
            assertThat(out).isSameAs(text);
            assertThat(io.logflow.model.Storable.isStorable(out)).as(text).isTrue();
        }
        String value = redactor.redactValue("note", text);
        if (redactor.returnedStorable()) {
            assertThat(value).isSameAs(text);
            assertThat(io.logflow.model.Storable.isStorable(value)).as(text).isTrue();
        }
    }

    @Test
    void aNulOrASurrogateIsNeverReportedStorable() {
        // a valid pair too: the scan only looks for surrogates, so storable pairs are left to Storable's own scan
        for (String s : new String[] {"plain\u0000text", "plain\uD800text", "x\uDC00y and more", "ok \uD83D\uDE00 ok"}) {
            redactor.redact(s);
            assertThat(redactor.returnedStorable()).as(s).isFalse();
            redactor.redactValue("note", s);
            assertThat(redactor.returnedStorable()).as(s).isFalse();
        }
        redactor.redact("plain words here");
        assertThat(redactor.returnedStorable()).isTrue();
    }

    @Provide
    Arbitrary<String> textWithUnstorableCharacters() {
        return Arbitraries.strings().withChars("ab =:\u0000\uD800\uDC00\uFFFD\u00E9xyz/").ofMaxLength(90);
    }

    @Provide
    Arbitrary<String> credentialText() {
        // mostly credential characters, so runs of every length near the limit occur
        return Arbitraries.strings().withChars("aZ09/+=.-_~ :é\"bB").ofMaxLength(120);
    }

    @Provide
    Arbitrary<Integer> runLengths() {
        return Arbitraries.of(1, 2, 5, 24, 40);
    }

    /** JWTs, secret keys and their near misses: pieces of base64 runs, UUIDs, dots and separators. */
    @Provide
    Arbitrary<String> tokenPieces() {
        return Arbitraries.of("eyJ", "eyJhbGciOiJIUzI1NiJ9", ".", "-", "_", "=", " ", "/", "+", "abcDEF0123",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "8f507cfc-0000-4000-8000-000000011248", "Zz9", "é")
                .list().ofMaxSize(12).map(pieces -> String.join("", pieces));
    }

    @Test
    void aMaskedBearerTokenThatLeavesAPairStandingIsRedactedInOnePass() {
        String once = redactor.redact("Bearer password.cookie:password:password");
        assertThat(once).isEqualTo("Bearer [REDACTED]:password:[REDACTED]");
        assertThat(redactor.redact(once)).isEqualTo(once);
    }
}
