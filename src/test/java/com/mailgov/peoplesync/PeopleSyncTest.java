package com.mailgov.peoplesync;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.Secrets;
import com.mailgov.testsupport.Slapd;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People from a real OpenLDAP (slapd on 127.0.0.1, started here) into the running service and
 * real PostgreSQL: a small company in two departments — 営業一部 and システム部 — with a joiner, a
 * mover, a leaver with a forward, an autoreply and list memberships, and bad entries. The sync
 * proposes exactly the expected change requests, skips and reports the bad entries, and proposes
 * nothing the second time.
 */
@QuarkusTest
class PeopleSyncTest {

    static Slapd ldap;

    String sales;
    String sys;
    String approver;
    String suffix;
    String ou;

    @BeforeAll
    static void startLdap() throws Exception {
        ldap = Slapd.start(true);
    }

    @AfterAll
    static void stopLdap() throws Exception {
        if (ldap != null) {
            ldap.close();
        }
    }

    @BeforeEach
    void company() throws Exception {
        sales = Api.department("SALES", "営業一部");
        sys = Api.department("SYS", "システム部");
        approver = Api.user("shimanaka", sys, "approver");
        suffix = sales.substring(5).toLowerCase();
        ou = "ou=people-" + suffix + "," + Slapd.SUFFIX;
        ldap.add(Slapd.entry(ou, "objectClass: organizationalUnit", "ou: people-" + suffix));
    }

    String mail(String local) {
        return local + "." + suffix + "@corp.example";
    }

    String person(String uid, String name, String department, String... more) {
        List<String> lines = new java.util.ArrayList<>(List.of("objectClass: inetOrgPerson", "objectClass: adLikeUser",
                "uid: " + uid, "cn: " + name, "sn: " + name, "displayName: " + name));
        if (department != null) {
            lines.add("departmentNumber: " + department);
        }
        lines.addAll(List.of(more));
        return Slapd.entry("uid=" + uid + "," + ou, lines.toArray(String[]::new));
    }

    /** AD's accountExpires for an instant: 100-ns ticks since 1601. */
    static String filetime(Instant t) {
        return String.valueOf((t.getEpochSecond() + 11_644_473_600L) * 10_000_000L);
    }

    Map<String, Object> source(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("url", ldap.url());
        body.put("startTls", false);
        body.put("bindDn", Slapd.READER_DN);
        body.put("credentialRef", "file:" + Secrets.file("ldap", Slapd.READER_PASSWORD));
        body.put("baseDn", ou);
        body.put("attributes", Map.of("leavingDate", "accountExpires"));
        body.put("departments", Map.of("営業一部", sales, "システム部", sys));
        return body;
    }

    long register(Map<String, Object> body) {
        return Api.admin().body(body).post("/api/v1/directory-sources").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    static JsonPath sync(long source) {
        return Api.admin().post("/api/v1/directory-sources/{id}/sync", source).then().statusCode(200)
                .extract().jsonPath();
    }

    void approved(String requester, Map<String, Object> body) {
        Api.approve(approver, Api.submit(requester, body)).statusCode(200);
    }

    @Test
    void theSyncProposesJoinersMovesAndLeaversAndSkipsBadEntries() throws Exception {
        String sato = mail("sato");
        String suzuki = mail("suzuki");
        String tanaka = mail("tanaka");
        String yamada = mail("yamada");
        String list = mail("eigyo-ml");
        String it = Api.user("it", sales, "requester");
        // What mailgov holds before the directory is read: three people of 営業一部; Tanaka forwards
        // to Sato, answers with an autoreply and is on the department's list with Sato.
        approved(it, request(sales, "営業一部",
                item("CREATE", "MAILBOX", Map.of("address", sato, "displayName", "佐藤")),
                item("CREATE", "MAILBOX", Map.of("address", suzuki, "displayName", "鈴木")),
                item("CREATE", "MAILBOX", Map.of("address", tanaka, "displayName", "田中")),
                item("CREATE", "FORWARD", Map.of("source", tanaka, "targets", List.of(sato), "keepCopy", true)),
                item("CREATE", "MAILING_LIST", Map.of("address", list, "name", "営業一部 全員", "members", List.of(sato, tanaka),
                        "replyToList", false, "addsListHeaders", true))));
        approved(it, request(sales, "不在",
                item("CREATE", "AUTOREPLY", Map.of("mailbox", tanaka, "subject", "退職のお知らせ", "body", "退職しました。",
                        "intervalDays", 7, "audience", "INTERNAL"))));

        // The directory: Sato stays, Suzuki moved to システム部, Tanaka's account expired yesterday,
        // Yamada joined (two aliases, one of them as a second mail value), and three bad entries.
        ldap.add(person("sato", "佐藤 花子", "営業一部", "mail: " + sato),
                person("suzuki", "鈴木 一郎", "システム部", "mail: " + suzuki),
                person("tanaka", "田中 太郎", "営業一部", "mail: " + tanaka,
                        "accountExpires: " + filetime(Instant.now().minus(Duration.ofDays(1)))),
                person("yamada", "山田 美咲", "営業一部", "mail: " + yamada, "mail: " + mail("m.yamada"),
                        "proxyAddresses: SMTP:" + yamada, "proxyAddresses: smtp:" + mail("yamada.misaki"),
                        "proxyAddresses: X500:/o=corp/cn=yamada"),
                person("nomail", "メール 無し", "営業一部"),
                person("dup1", "重複 一", "システム部", "mail: " + mail("dup")),
                person("dup2", "重複 二", "営業一部", "mail: " + mail("dup")),
                person("bad", "木村", "営業一部", "mail: kimura." + suffix + ".corp.example"));
        long source = register(source("corp-ad-" + suffix));

        long started = System.nanoTime();
        JsonPath run = sync(source);
        long wallMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("directory sync of the test company: %d ms wall, %d ms by the report, of which LDAP %d ms (%d entries)%n",
                wallMillis, run.getLong("report.durationMillis"), run.getLong("report.ldapMillis"), run.getInt("entries"));

        assertEquals("OK", run.getString("status"), run.prettify());
        assertEquals(8, run.getInt("entries"));
        List<Map<String, Object>> proposals = run.getList("report.proposals");
        assertEquals(3, proposals.size(), run.prettify());
        Map<String, Object> joiners = proposal(proposals, "JOINERS");
        assertEquals(sales, joiners.get("department"));
        assertEquals(List.of(yamada), joiners.get("people"));
        assertEquals(3, joiners.get("items")); // the mailbox and two aliases
        assertEquals("directory-joiners", joiners.get("standardChange"));
        Map<String, Object> moves = proposal(proposals, "MOVES");
        assertEquals(sys, moves.get("department"));
        assertEquals(List.of(suzuki), moves.get("people"));
        assertEquals("directory-moves", moves.get("standardChange"));
        Map<String, Object> leaver = proposal(proposals, "LEAVER");
        assertEquals(sales, leaver.get("department"));
        assertEquals(List.of(tanaka), leaver.get("people"));
        assertEquals("SUBMITTED", leaver.get("status"));
        assertNull(leaver.get("standardChange"));

        // Bad entries: reported one by one, and skipped.
        List<Map<String, Object>> problems = run.getList("report.problems");
        assertTrue(problems.stream().anyMatch(p -> p.get("dn").toString().startsWith("uid=nomail,")
                && p.get("problem").toString().startsWith("no mail") && Boolean.TRUE.equals(p.get("skipped"))), run.prettify());
        assertTrue(problems.stream().anyMatch(p -> p.get("dn").toString().startsWith("uid=bad,")
                && p.get("problem").toString().startsWith("invalid address") && Boolean.TRUE.equals(p.get("skipped"))), run.prettify());
        for (String dup : List.of("uid=dup1,", "uid=dup2,")) {
            assertTrue(problems.stream().anyMatch(p -> p.get("dn").toString().startsWith(dup)
                    && p.get("problem").toString().startsWith("duplicate mail") && Boolean.TRUE.equals(p.get("skipped"))), run.prettify());
        }
        assertEquals(4, problems.stream().filter(p -> Boolean.TRUE.equals(p.get("skipped"))).count(), run.prettify());
        Api.admin().get("/api/v1/directory?kind=MAILBOX").then().statusCode(200)
                .body("objects.key", not(hasItem(mail("dup"))));

        // The joiner and the mover are in the directory at once: approved by the policy, recorded as such.
        String joinersId = joiners.get("changeRequest").toString();
        Api.as(approver).get("/api/v1/change-requests/{id}", joinersId).then().statusCode(200)
                .body("decidedBy", equalTo("system:standard-change"))
                .body("createdBy", equalTo("directory-sync:corp-ad-" + suffix))
                .body("decisionComment", containsString("policy version"));
        JsonPath mailboxes = Api.admin().get("/api/v1/directory?kind=MAILBOX").then().statusCode(200).extract().jsonPath();
        assertEquals(sales, mailboxes.getString("objects.find { it.key == '" + yamada + "' }.department"));
        assertEquals("山田 美咲", mailboxes.getString("objects.find { it.key == '" + yamada + "' }.spec.displayName"));
        assertEquals(sys, mailboxes.getString("objects.find { it.key == '" + suzuki + "' }.department"));
        assertEquals(sales, mailboxes.getString("objects.find { it.key == '" + sato + "' }.department"));
        JsonPath forwards = Api.admin().get("/api/v1/directory?kind=FORWARD").then().statusCode(200).extract().jsonPath();
        for (String alias : List.of(mail("m.yamada"), mail("yamada.misaki"))) {
            assertEquals(List.of(yamada), forwards.getList("objects.find { it.key == '" + alias + "' }.spec.targets"));
        }

        // The leaver's request: exactly the forward, the autoreply and the membership; the mailbox stays.
        String leaverId = leaver.get("changeRequest").toString();
        JsonPath request = Api.as(approver).get("/api/v1/change-requests/{id}", leaverId).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("DELETE FORWARD " + tanaka, "DELETE AUTOREPLY " + tanaka, "DELETE LIST_MEMBER " + list + " " + tanaka),
                itemsOf(request));

        // Nothing changed in the directory: nothing is proposed again.
        JsonPath second = sync(source);
        assertEquals("OK", second.getString("status"));
        assertEquals(List.of(), second.getList("report.proposals"), second.prettify());
        assertEquals(List.of(tanaka), second.getList("report.pending"));

        // An approver removes what Tanaka left; then Sato's entry disappears from the directory.
        Api.approve(approver, leaverId).statusCode(200);
        Api.admin().get("/api/v1/directory?kind=FORWARD").then().body("objects.key", not(hasItem(tanaka)));
        Api.admin().get("/api/v1/directory?kind=MAILBOX").then().body("objects.key", hasItem(tanaka));
        ldap.delete("uid=sato," + ou);
        JsonPath third = sync(source);
        List<Map<String, Object>> gone = third.getList("report.proposals");
        assertEquals(1, gone.size(), third.prettify());
        assertEquals("LEAVER", gone.get(0).get("kind"));
        assertEquals(List.of(sato), gone.get(0).get("people"));
        JsonPath satoRequest = Api.as(approver).get("/api/v1/change-requests/{id}", gone.get(0).get("changeRequest"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("DELETE LIST_MEMBER " + list + " " + sato), itemsOf(satoRequest));
        assertTrue(satoRequest.getString("reason").contains("is gone from the directory"), satoRequest.getString("reason"));
        assertEquals(List.of(), sync(source).getList("report.proposals"));

        // The runs are kept, newest first, and each is in the audit log.
        Api.admin().get("/api/v1/directory-sources/{id}/runs", source).then().statusCode(200)
                .body("size()", equalTo(4)).body("[3].report.proposals.size()", equalTo(3));
        Api.admin().queryParam("object", String.valueOf(source)).get("/api/v1/audit").then().statusCode(200)
                .body("entries.action", hasItem("directory_sync.run"))
                .body("entries.action", hasItem("directory_source.created"));
    }

    @Test
    void tlsChecksTheCertificateAgainstTheSourcesCaAndTheHostName() throws Exception {
        ldap.add(person("ito", "伊藤 健", "システム部", "mail: " + mail("ito")));
        // The JVM does not trust the test CA: StartTLS fails, and nothing is read in plain text instead.
        JsonPath untrusted = sync(register(tls("untrusted-" + suffix, ldap.url(), null)));
        assertEquals("FAILED", untrusted.getString("status"));
        assertTrue(untrusted.getString("report.error").contains("StartTLS failed"), untrusted.prettify());
        assertEquals(List.of(), untrusted.getList("report.proposals"));

        // With the company's CA: StartTLS and LDAPS both read the directory, the bind inside TLS.
        JsonPath startTls = sync(register(tls("starttls-" + suffix, ldap.url(), ldap.caPem())));
        assertEquals("OK", startTls.getString("status"), startTls.prettify());
        assertEquals(1, startTls.getInt("entries"));
        assertEquals(List.of(mail("ito")), startTls.getList("report.proposals[0].people"));
        JsonPath ldaps = sync(register(tls("ldaps-" + suffix, ldap.ldapsUrl(), ldap.caPem())));
        assertEquals("OK", ldaps.getString("status"), ldaps.prettify());
        assertEquals(1, ldaps.getInt("entries"));
        assertEquals(List.of(), ldaps.getList("report.proposals")); // Ito has a mailbox now

        // The certificate names 127.0.0.1 only: the same server as "localhost" is refused, both ways.
        for (String url : List.of(ldap.url().replace("127.0.0.1", "localhost"), ldap.ldapsUrl().replace("127.0.0.1", "localhost"))) {
            JsonPath wrongName = sync(register(tls("name-" + Api.unique("") , url, ldap.caPem())));
            assertEquals("FAILED", wrongName.getString("status"), wrongName.prettify());
            assertEquals(0, wrongName.getInt("entries"));
        }
    }

    Map<String, Object> tls(String name, String url, String ca) {
        Map<String, Object> body = source(name);
        body.put("url", url);
        body.remove("startTls"); // ldap:// → StartTLS by default
        if (ca != null) {
            body.put("caCertificate", ca);
        }
        return body;
    }

    @Test
    void sourcesAreCheckedAndForAdminsOnly() {
        Map<String, Object> plain = source("plain-" + suffix);
        plain.put("url", "ldap://ldap.corp.example:389");
        Api.admin().body(plain).post("/api/v1/directory-sources").then().statusCode(400)
                .body("type", equalTo("urn:mailgov:problem:validation-failed"))
                .body("errors.field", hasItem("startTls"));
        Map<String, Object> secret = source("secret-" + suffix);
        secret.put("credentialRef", "file:/etc/shadow");
        Api.admin().body(secret).post("/api/v1/directory-sources").then().statusCode(400)
                .body("errors.field", hasItem("credentialRef"));
        Map<String, Object> unmapped = source("unmapped-" + suffix);
        unmapped.put("departments", Map.of("営業一部", "NO-SUCH-DEPT"));
        Api.admin().body(unmapped).post("/api/v1/directory-sources").then().statusCode(400)
                .body("errors.field", hasItem("departments.営業一部"));
        Map<String, Object> ca = source("ca-" + suffix);
        ca.put("caCertificate", "-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----");
        Api.admin().body(ca).post("/api/v1/directory-sources").then().statusCode(400)
                .body("errors.field", hasItem("caCertificate"));
        Api.as(approver).get("/api/v1/directory-sources").then().statusCode(403);
        // Only approvers, admins and the sync itself move a mailbox between departments.
        String it = Api.user("it", sales, "requester");
        Api.as(it).body(request(sales, "take", item("MOVE", "MAILBOX", Map.of("address", mail("someone")))))
                .post("/api/v1/change-requests").then().statusCode(403);
        Api.as(approver).post("/api/v1/directory-sources/{id}/sync", register(source("ok-" + suffix))).then().statusCode(403);
    }

    private static Map<String, Object> proposal(List<Map<String, Object>> proposals, String kind) {
        return proposals.stream().filter(p -> kind.equals(p.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " proposal in " + proposals));
    }

    private static List<String> itemsOf(JsonPath request) {
        List<Map<String, Object>> items = request.getList("items");
        return items.stream().map(i -> i.get("action") + " " + i.get("kind") + " " + i.get("key")).toList();
    }
}
