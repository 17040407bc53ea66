package com.mailgov.peoplesync;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How directory values are read: leaving dates in the formats directories use, and addresses from proxyAddresses. */
class PersonReaderTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Test
    void leavingDatesInEachFormat() {
        // AD accountExpires: 100-ns ticks since 1601; 0 and 2^63-1 mean "never".
        assertEquals(Instant.parse("2026-12-31T15:00:00Z"), PersonReader.leavingTime("134432028000000000", TOKYO));
        assertNull(PersonReader.leavingTime("9223372036854775807", TOKYO));
        assertNull(PersonReader.leavingTime("000000000000000", TOKYO));
        // LDAP generalized time, in UTC or with an offset.
        assertEquals(Instant.parse("2026-12-31T15:00:00Z"), PersonReader.leavingTime("20261231150000Z", TOKYO));
        assertEquals(Instant.parse("2026-12-31T15:00:00Z"), PersonReader.leavingTime("20270101000000+0900", TOKYO));
        // A plain date is the last day: the person leaves at the end of it, in the company's zone.
        assertEquals(Instant.parse("2026-12-31T15:00:00Z"), PersonReader.leavingTime("2026-12-31", TOKYO));
    }

    @Test
    void addressesComeFromMailAndProxyAddresses() {
        LdapSearch.Entry entry = new LdapSearch.Entry("uid=yamada,ou=people,dc=corp,dc=example", Map.of(
                "proxyaddresses", List.of("SMTP:Yamada@Corp.Example", "smtp:m.yamada@corp.example", "X500:/o=corp/cn=yamada"),
                "displayname", List.of("山田 美咲"),
                "departmentnumber", List.of("営業一部")));
        PersonReader.Result read = PersonReader.read(List.of(entry), DirectorySourceDtos.AttributeMapping.DEFAULTS,
                Map.of("営業一部", "SALES1"), TOKYO, a -> a.endsWith("@corp.example"));
        assertEquals(List.of(), read.problems());
        Person p = read.people().get(0);
        assertEquals("yamada@corp.example", p.address()); // no mail attribute: the SMTP: primary, normalised
        assertEquals("山田 美咲", p.displayName());
        assertEquals("SALES1", p.department());
        assertEquals(List.of("m.yamada@corp.example"), p.aliases());
    }
}
