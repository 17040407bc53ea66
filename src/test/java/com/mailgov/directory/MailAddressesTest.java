package com.mailgov.directory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailAddressesTest {

    @Test
    void normalisesCaseAndInternationalDomains() {
        assertEquals("takahashi@corp.example", MailAddresses.normalise("Takahashi@CORP.example").address());
        assertEquals("info@xn--r8jz45g.jp", MailAddresses.normalise("info@例え.jp").address());
        assertEquals("a.b+tag@corp.example", MailAddresses.normalise("a.b+tag@corp.example.").address());
    }

    @Test
    void refusesWhatIsNoAddressWithAReason() {
        assertTrue(MailAddresses.normalise("高橋@corp.example").error().contains("SMTPUTF8"));
        assertTrue(MailAddresses.normalise("a@corp.example\r\nBcc: x@y.z").error().contains("CR, LF or NUL"));
        assertTrue(MailAddresses.normalise("a".repeat(65) + "@corp.example").error().contains("64"));
        assertTrue(MailAddresses.normalise("a..b@corp.example").error().contains("local part"));
        assertTrue(MailAddresses.normalise("a@localhost").error().contains("two labels"));
        assertTrue(MailAddresses.normalise("a@-bad.example").error().contains("domain"));
        assertFalse(MailAddresses.normalise("\"quoted\"@corp.example").ok());
        assertFalse(MailAddresses.normalise("").ok());
    }

    @Test
    void enforcesTheRfc5321PathLength() {
        String domain = "d".repeat(60) + "." + "e".repeat(60) + "." + "f".repeat(60) + "." + "g".repeat(60) + ".jp";
        assertTrue(MailAddresses.normalise("a".repeat(10) + "@" + domain).error().contains("254"));
    }
}
