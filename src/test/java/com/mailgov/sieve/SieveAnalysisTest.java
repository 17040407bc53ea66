package com.mailgov.sieve;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the analysis reads out of a script, beyond which responders it has. */
class SieveAnalysisTest {

    private static SieveAnalysis corpus(String file) throws IOException {
        return SieveAnalysis.of(Files.readString(Path.of("src/test/resources/sieve-corpus", file)));
    }

    @Test
    void vacationDaysZeroIsAnUnboundedReplyToTheSender() throws IOException {
        Responder r = corpus("04-vacation-days-zero.sieve").responders().get(0);
        assertEquals(0L, r.intervalSeconds());
        assertTrue(r.unbounded());
        assertTrue(r.answersSender());
        assertFalse(r.conditional());
    }

    @Test
    void vacationSecondsAddressesAndFromAreRead() throws IOException {
        assertEquals(30L, corpus("05-vacation-seconds.sieve").responders().get(0).intervalSeconds());
        Responder r = corpus("01-roundcube-vacation.sieve").responders().get(0);
        assertEquals(7L * 86_400, r.intervalSeconds());
        assertFalse(r.unbounded());
        assertEquals(List.of("takahashi@corp.example", "t.takahashi@corp.example"), r.addresses());
        assertEquals("takahashi@corp.example", r.from());
        assertTrue(r.conditional());
    }

    @Test
    void vacationWithoutDaysLeavesTheIntervalToTheServer() {
        SieveAnalysis a = SieveAnalysis.of("require \"vacation\";\nvacation \"away\";\n");
        assertNull(a.responders().get(0).intervalSeconds());
        assertFalse(a.responders().get(0).unbounded());
    }

    @Test
    void notifyToTheReplyToAnswersTheSenderAndAFixedTargetDoesNot() throws IOException {
        Responder replyTo = corpus("06-enotify-mailto-replyto.sieve").responders().get(0);
        assertEquals("mailto:${rt}", replyTo.target());
        assertTrue(replyTo.answersSender());
        assertTrue(replyTo.unbounded());
        Responder fixed = corpus("23-enotify-fixed-target.sieve").responders().get(0);
        assertEquals("mailto:oncall@corp.example?subject=Alert", fixed.target());
        assertFalse(fixed.answersSender());
        assertEquals("tanaka@corp.example", fixed.from());
    }

    @Test
    void oldDraftNotifyTakesTheAddressFromItsOptions() throws IOException {
        assertEquals("mailto:pager@corp.example", corpus("08-old-notify-options.sieve").responders().get(0).target());
    }

    @Test
    void redirectTargetsAndIncludesAreNamed() throws IOException {
        assertEquals("suzuki.mobile@partner.example", corpus("03-roundcube-forward-copy.sieve").responders().get(0).target());
        assertTrue(corpus("24-redirect-variable-sender.sieve").responders().get(0).answersSender());
        assertEquals(List.of(":personal vacation-old", ":global spam-rules"), corpus("11-include-personal-global.sieve").includes());
    }

    @Test
    void aCommentOrAFolderNamedVacationIsNoResponder() throws IOException {
        SieveAnalysis a = corpus("17-comment-says-vacation.sieve");
        assertTrue(a.parses());
        assertTrue(a.responders().isEmpty());
        assertEquals(List.of("fileinto"), a.filters());
    }

    @Test
    void aBrokenScriptSaysWhereAndWhy() throws IOException {
        SieveAnalysis a = corpus("26-broken-missing-semicolon.sieve");
        assertFalse(a.parses());
        assertTrue(a.error().startsWith("line 4:"), a.error());
        assertTrue(corpus("28-broken-vacation-not-required.sieve").error().contains("vacation"));
    }

    @Test
    void multiLineTextIsUnstuffed() throws Exception {
        SieveNode.Script s = SieveParser.parse(Files.readString(Path.of("src/test/resources/sieve-corpus/12-text-multiline-dotstuff.sieve")));
        SieveNode.Strings body = (SieveNode.Strings) s.commands().get(1).arguments().get(s.commands().get(1).arguments().size() - 1);
        assertEquals("Hello,\r\n\r\nI am away until Monday.\r\n.this line starts with a dot\r\n", body.first());
    }

    @Test
    void hostileNestingIsRefusedNotACrash() {
        String deep = "if " + "not ".repeat(10_000) + "true { keep; }";
        SieveAnalysis a = SieveAnalysis.of(deep);
        assertFalse(a.parses());
        assertTrue(a.error().contains("nesting"), a.error());
    }
}
