package com.mailgov.adoption;

import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.MailmanConnector;
import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.MailStack;
import com.mailgov.testsupport.StackServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.mailgov.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A realistic brownfield on the real stack before mailgov sees it — 500+ aliases (postmaster@,
 * abuse@, multi-target, a catch-all, a pipe and a file target), 20 Mailman lists with members (one
 * with a Japanese name, five with an archived post), 50 mailboxes with their own Sieve scripts
 * (vacations, notify responders, filters, one broken) and a planted loop: a notify responder that
 * answers the Reply-To, on a member of a list whose Reply-To points at itself. Registered (OBSERVE)
 * nothing changes (alias table, lists, members, archives and scripts checksummed); the import
 * proposes everything per department, the risk report names the planted loop first; the loop is
 * adopted as a known risk; the README's adoption block runs as written.
 */
@QuarkusTest
@TestProfile(BrownfieldImportTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrownfieldImportTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // max-items 100: the lists' department (114 objects) needs two requests, so a list and its
            // memberships must be kept together across requests
            return Map.of("mailgov.push.drift-check-interval", "PT1H",
                    "mailgov.internal-domains", "corp.example,lists.corp.example",
                    "mailgov.limits.max-items", "100");
        }
    }

    static final String D = "corp.example";
    static final String LD = "lists.corp.example";
    static final String PLANTED_LIST = "sales-news@" + LD;
    static final String PLANTED_MEMBER = "user07@" + D;
    static final String REPLY_TO_RESPONDER = "require [\"enotify\", \"variables\"];\r\n"
            + "if header :matches \"reply-to\" \"*\" { set \"rt\" \"${1}\"; notify :message \"Thanks, noted\" \"mailto:${rt}\"; }\r\n";

    static StackServers servers;
    static MailStack stack;
    static int dovecot;
    static int postfix;
    static int mailman;
    static List<String> mailboxes = new ArrayList<>();
    static String aliasesBefore;
    static String mailmanBefore;
    static String archiveBefore;
    static final int ARCHIVED_LISTS = 5;
    static Map<String, String> sieveBefore;
    static String sales;
    static String legacy;
    static String listsDept;

    @BeforeEach
    void brownfield() throws Exception {
        if (stack != null) {
            return;
        }
        for (int i = 1; i <= 50; i++) {
            mailboxes.add(String.format("user%02d@%s", i, D));
        }
        Map<String, String> rows = new TreeMap<>();
        rows.put("postmaster@" + D, "user01@" + D);
        rows.put("abuse@" + D, "user01@" + D + ", user02@" + D);
        rows.put("@old-brand.example", "user03@" + D);
        rows.put("fax@" + D, "|/usr/local/bin/fax2mail");
        rows.put("archive@" + D, "/var/mail/archive, user04@" + D);
        for (int i = 0; i < 500; i++) {
            rows.put("old" + i + "@" + D, i % 3 == 0 ? mailboxes.get(i % 50) + ", " + mailboxes.get((i + 1) % 50)
                    : mailboxes.get(i % 50));
        }
        servers = StackServers.start("brownimport", rows, Map.of("MAILSTACK_MM_ARCHIVE", "1"));
        stack = servers.stack;
        stack.addUsers(mailboxes, true);
        try (MailmanConnector mm = servers.mailmanByHand()) {
            Map<ArtifactKey, String> setup = new TreeMap<>();
            for (int l = 0; l < 20; l++) {
                String list = l == 0 ? PLANTED_LIST : "team" + l + "@" + LD;
                setup.put(ArtifactKey.list(list), MailmanConnector.listContent(l == 1 ? "営業部お知らせ" : "Team " + l, true, l == 0));
                for (int m = 0; m < 5; m++) {
                    setup.put(ArtifactKey.listMember(list, mailboxes.get((l * 3 + m + (l == 0 ? 6 : 10)) % 50)), "");
                }
            }
            mm.apply(setup);
        }
        assertTrue(servers.mailmanGet("/lists/" + PLANTED_LIST.replace('@', '.') + "/roster/member?count=50&page=1").contains(PLANTED_MEMBER));
        // posts by members, so the lists have archives (Mailman's prototype archiver: a Maildir per list);
        // not to the planted list, whose responder would answer
        for (int l = 2; l < 2 + ARCHIVED_LISTS; l++) {
            String list = "team" + l + "@" + LD;
            stack.send(mailboxes.get((l * 3 + 10) % 50), list, "From: " + mailboxes.get((l * 3 + 10) % 50) + "\nTo: " + list
                    + "\nSubject: =?UTF-8?B?" + Base64.getEncoder().encodeToString(("議事録 " + l).getBytes(StandardCharsets.UTF_8))
                    + "?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n今週の議事録です。\n");
        }
        long archived = System.currentTimeMillis() + 180_000;
        while (archivedPosts() < ARCHIVED_LISTS && System.currentTimeMillis() < archived) {
            Thread.sleep(500);
        }
        assertEquals(ARCHIVED_LISTS, archivedPosts(), "every post is in its list's archive");
        for (int i = 0; i < 50; i++) {
            String box = mailboxes.get(i);
            String text;
            if (box.equals(PLANTED_MEMBER)) {
                text = REPLY_TO_RESPONDER;
            } else if (i == 49) {
                text = "require \"fileinto\";\r\nif header :contains \"subject\" \"x\" {\r\n  fileinto \"X\"\r\n}\r\n"; // broken
            } else if (i % 4 == 0) {
                text = "require [\"vacation\"];\r\n# rule:[Out of office]\r\nvacation :days 7 :subject \"不在\" \"不在です。\";\r\n";
            } else if (i % 4 == 1) {
                text = "require [\"enotify\"];\r\nnotify :message \"new mail\" \"mailto:pager-" + i + "@partner.example\";\r\n";
            } else {
                text = "require [\"fileinto\"];\r\n# vacation? no, just sorting\r\nif header :contains \"subject\" \"report\" { fileinto \"Work\"; }\r\n";
            }
            servers.sieveByHand(box, "own", i == 49 ? "keep;\r\n" : text);
            if (i == 49) {
                // ManageSieve refuses a script that does not compile; a broken one arrives by hand on disk
                Files.writeString(stack.maildir(box).getParent().resolve("sieve").resolve("own.sieve"), text);
            }
        }
        aliasesBefore = aliases();
        mailmanBefore = mailmanState();
        archiveBefore = archive();
        sieveBefore = sieve();

        dovecot = servers.registerDovecot(true);
        postfix = servers.registerPostfix();
        mailman = servers.registerMailman();
        sales = Api.department("SALES", "営業部");
        legacy = Api.department("LEGACY", "旧アドレス");
        listsDept = Api.department("LISTS", "メーリングリスト");
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    Map<String, Object> rules() {
        return Map.of("rules", List.of(Map.of("list", PLANTED_LIST, "department", sales),
                Map.of("address", "old*@" + D, "department", legacy),
                Map.of("domain", LD, "department", listsDept)));
    }

    @Test
    @Order(1)
    void aMappingRuleThatMatchesNothingIsAProblemAndNothingIsStored() {
        long revision = Api.revision();
        Api.admin().body(Map.of("rules", List.of(Map.of("domain", "nowhere.example", "department", sales))))
                .post("/api/v1/mail-servers/{id}/import", postfix).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("rules[0]"));
        Api.admin().body(Map.of("rules", List.of(Map.of("domain", D, "list", PLANTED_LIST, "department", sales))))
                .post("/api/v1/mail-servers/{id}/import", postfix).then().statusCode(400).body("errors[0].field", equalTo("rules[0]"));
        assertEquals(revision, Api.revision());
        Api.admin().get("/api/v1/change-requests?status=SUBMITTED").then().body("size()", equalTo(0));
    }

    @Test
    @Order(2)
    void importProposesEverythingPerDepartmentListsTheOddRowsAndWritesNothing() throws Exception {
        JsonPath aliases = Api.admin().body(rules()).post("/api/v1/mail-servers/{id}/import", postfix).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(505, aliases.getInt("read"));
        assertEquals(502, aliases.getInt("proposed"), "500 old*, postmaster, abuse");
        assertTrue(aliases.getString("problems.find { it.artifact == 'ALIAS:@old-brand.example' }.reason").startsWith("catch-all"));
        assertTrue(aliases.getString("problems.find { it.artifact == 'ALIAS:fax@corp.example' }.reason").contains("pipe"));
        assertTrue(aliases.getString("problems.find { it.artifact == 'ALIAS:archive@corp.example' }.reason").startsWith("not imported, stays unmanaged"),
                "a row with a file target is not adopted: enforced, it would be rewritten without it");
        assertEquals(java.util.Set.of(legacy, "IMPORTED"), new java.util.HashSet<>(aliases.getList("requests.department")));
        // one rule set for all three servers: a rule that matches nothing here is listed, not refused;
        // the list rule cannot apply to Postfix and is not listed
        assertEquals(List.of("rules[2]"), aliases.getList("problems.artifact.findAll { it.startsWith('rules[') }"));

        JsonPath boxes = Api.admin().body(rules()).post("/api/v1/mail-servers/{id}/import", dovecot).then().statusCode(200)
                .extract().jsonPath();
        JsonPath lists = Api.admin().body(rules()).post("/api/v1/mail-servers/{id}/import", mailman).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(120, lists.getInt("proposed"), "20 lists and 100 memberships");
        assertEquals(List.of("rules[1]"), lists.getList("problems.artifact.findAll { it.startsWith('rules[') }"));
        assertEquals(sales, lists.getString("requests.find { it.department == '" + sales + "' }.department"));
        assertEquals(List.of("rules[1]", "rules[2]"), boxes.getList("problems.artifact.findAll { it.startsWith('rules[') }"));
        assertTrue(boxes.getInt("proposed") >= 50, "every mailbox Dovecot lists");
        assertEquals(false, boxes.getBoolean("scripts.find { it.mailbox == 'user50@corp.example' }.parses"));
        assertEquals(List.of("NOTIFY"), boxes.getList("scripts.find { it.mailbox == '" + PLANTED_MEMBER + "' }.responders.kind"));
        assertEquals(List.of(), boxes.getList("scripts.find { it.mailbox == 'user03@corp.example' }.responders"),
                "a comment saying vacation is no responder");

        // repeated: nothing new, everything already proposed, no second request
        int requestsBefore = Api.admin().get("/api/v1/change-requests?status=SUBMITTED&limit=500").then().extract().jsonPath()
                .getList("id").size();
        JsonPath again = Api.admin().body(rules()).post("/api/v1/mail-servers/{id}/import", postfix).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, again.getInt("proposed"));
        assertEquals(502, again.getInt("pending"));
        assertEquals(requestsBefore, Api.admin().get("/api/v1/change-requests?status=SUBMITTED&limit=500").then().extract()
                .jsonPath().getList("id").size(), "no duplicate requests");

        assertEquals(aliasesBefore, aliases(), "alias table untouched");
        assertEquals(mailmanBefore, mailmanState(), "lists and members untouched");
        assertEquals(archiveBefore, archive(), "the lists' archives untouched");
        assertEquals(sieveBefore, sieve(), "every Sieve script untouched");
    }

    @Test
    @Order(3)
    void theRiskReportListsThePlantedLoopFirstWithItsPath() {
        JsonPath report = Api.admin().get("/api/v1/risk-report").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(PLANTED_LIST, PLANTED_MEMBER, "(autoreply)", PLANTED_LIST), report.getList("risks[0].path"));
        assertEquals("BLOCK", report.getString("risks[0].severity"));
        assertTrue(report.getBoolean("risks[0].involvesUnmanaged"));
        assertTrue(report.getString("risks[0].message").contains("not managed by mailgov"), report.getString("risks[0].message"));
        assertTrue(report.getList("unmanaged.artifact").contains("ALIAS:@old-brand.example"));
    }

    @Test
    @Order(4)
    void approvingTheImportWritesNothingAndAdoptsTheLoopAsAKnownRiskWithItsRemedy() throws Exception {
        String approver = Api.user("appr", null, "approver");
        List<String> pending = Api.admin().get("/api/v1/change-requests?status=SUBMITTED&limit=500").then().extract().jsonPath()
                .getList("id");
        List<String> knownRisk = new ArrayList<>();
        for (String id : pending) {
            JsonPath cr = as(approver).get("/api/v1/change-requests/{id}", id).then().extract().jsonPath();
            // the planted loop already runs on the servers: adopting its objects changes no mail flow, so it
            // is no BLOCK; it is a WARN that says so, with the remedy, and approving needs a reason
            assertTrue(!"BLOCK".equals(cr.getString("highestSeverity")), id + ": " + cr.prettify());
            if (cr.getList("findings.findAll { it.ruleId == 'autoreply-loop' }").size() > 0) {
                assertEquals("WARN", cr.getString("findings.find { it.ruleId == 'autoreply-loop' }.severity"));
                assertTrue(cr.getString("findings.find { it.ruleId == 'autoreply-loop' }.message").contains("Known risk"));
                assertTrue(cr.getString("findings.find { it.ruleId == 'autoreply-loop' }.remedy") != null);
                as(approver).body(Map.of("comment", "adopt")).post("/api/v1/change-requests/{id}/approve", id).then()
                        .statusCode(422); // a known risk is approved with a reason, like any WARN
                knownRisk.add(id);
            }
            as(approver).body(Map.of("comment", "adopt", "overrideReason", "existing configuration, adopted as it is; loop to be fixed"))
                    .post("/api/v1/change-requests/{id}/approve", id).then().statusCode(200);
        }
        assertTrue(knownRisk.stream().anyMatch(id -> sales.equals(as(approver).get("/api/v1/change-requests/{id}", id).then()
                .extract().path("department"))), "the planted list's request (SALES) carries the loop as a known risk: " + knownRisk);
        assertEquals(0, Api.admin().get("/api/v1/change-requests?status=SUBMITTED&limit=500").then().extract().jsonPath()
                .getList("id").size());
        // adopted, the loop is still there: the risk report keeps it first, as a BLOCK, with its remedy
        JsonPath report = Api.admin().get("/api/v1/risk-report").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(PLANTED_LIST, PLANTED_MEMBER, "(autoreply)", PLANTED_LIST), report.getList("risks[0].path"));
        assertEquals("BLOCK", report.getString("risks[0].severity"));
        Api.admin().get("/api/v1/directory?kind=MAILING_LIST").then()
                .body("objects.find { it.key == '" + PLANTED_LIST + "' }.spec.replyToList", equalTo(true));

        Api.admin().get("/api/v1/directory?kind=FORWARD").then().body("objects.find { it.key == 'abuse@corp.example' }.spec.targets",
                equalTo(List.of("user01@corp.example", "user02@corp.example")));
        assertEquals(aliasesBefore, aliases(), "approving an import writes nothing");
        JsonPath after = Api.admin().body(rules()).post("/api/v1/mail-servers/{id}/import", postfix).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, after.getInt("proposed"), "importing again after adoption proposes nothing");
        assertEquals(502, after.getInt("unchanged") + after.getInt("pending"));
        assertEquals(mailmanBefore, mailmanState());
        assertEquals(archiveBefore, archive());
        assertEquals(sieveBefore, sieve());
        // and the server's artifacts are now mailgov's
        Api.admin().get("/api/v1/mail-servers/{id}/drift?limit=1000", postfix).then().statusCode(200)
                .body("differences.find { it.key == 'abuse@corp.example' }", equalTo(null))
                .body("differences.find { it.key == '@old-brand.example' }.problem", equalTo("UNMANAGED"));
    }

    /** The README's "Adopting existing servers" block, run as written with bash and curl against this stack. */
    @Test
    @Order(5)
    void theReadmeAdoptionBlockRunsAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("## Adopting existing servers");
        assertTrue(section >= 0, "README has the adoption section");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        Map<String, String> rowsBefore = aliasRows();
        String script = block.replace("http://127.0.0.1:8080", "http://127.0.0.1:" + servers.servicePort())
                .replace("postgresql://127.0.0.1:5432/mailstack", servers.aliasUrl().replaceFirst("^jdbc:", ""))
                .replace("\"SALES1\"", "\"" + sales + "\"");
        // curl reports each status on stderr, so the block's own pipes and captures stay as written
        String prelude = "set -eu -o pipefail\ncurl() { command curl -w '%{stderr}%{http_code}\\n' \"$@\"; }\n";
        Path statuses = Files.createTempFile("adopt", ".status");
        Path output = Files.createTempFile("adopt", ".out");
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", prelude + script).redirectError(statuses.toFile())
                .redirectOutput(output.toFile());
        bash.environment().put("MAILGOV_ADMIN_PASSWORD", ConfigProvider.getConfig().getValue("mailgov.admin-password", String.class));
        Process run = bash.start();
        boolean finished = run.waitFor(300, java.util.concurrent.TimeUnit.SECONDS);
        if (!finished) {
            run.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(finished, "the block finished within 5 minutes:\n" + out);
        assertEquals(0, run.exitValue(), "bash ran the block to the end:\n" + out + Files.readString(statuses));
        assertEquals(List.of("201", "200", "200", "200", "200", "200"),
                Files.readAllLines(statuses).stream().filter(l -> l.matches("\\d{3}")).toList(), out);
        assertTrue(out.contains("\"UNMANAGED\"") && out.contains("@old-brand.example"), "drift shows the catch-all: " + out);
        assertTrue(out.contains("autoreply-loop"), "the risk report names the planted loop: " + out);
        int adopted = Api.admin().get("/api/v1/mail-servers").then().extract().path("find { it.name == 'postfix-old' }.id");
        Api.admin().get("/api/v1/mail-servers/{id}", adopted).then().body("mode", equalTo("ENFORCE"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && Api.admin().get("/api/v1/mail-servers/{id}", adopted).then().extract()
                .<Integer>path("pendingJobs") > 0) {
            Thread.sleep(200);
        }
        Map<String, String> rowsAfter = aliasRows();
        rowsBefore.forEach((source, row) -> assertEquals(row, rowsAfter.get(source), "enforcing kept " + source));
    }

    static Map<String, String> aliasRows() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = servers.aliasConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT source, destination, enabled FROM virtual_alias")) {
            while (r.next()) {
                rows.put(r.getString(1), r.getString(2) + "|" + r.getBoolean(3));
            }
        }
        return rows;
    }

    static String aliases() throws Exception {
        return StackServers.sha(servers.aliases());
    }

    static String mailmanState() throws Exception {
        return servers.mailmanState();
    }

    /** Every archived post (Mailman's prototype archiver: one Maildir per list), by path and content. */
    static String archive() throws Exception {
        Path root = Path.of(stack.env("MAILMAN_ARCHIVE_DIR"), "prototype");
        StringBuilder s = new StringBuilder();
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                s.append(root.relativize(f)).append('\n').append(Files.readString(f, StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return sha(s.toString()) + " (" + archivedPosts() + " posts)";
    }

    static long archivedPosts() throws Exception {
        Path root = Path.of(stack.env("MAILMAN_ARCHIVE_DIR"), "prototype");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (var files = Files.walk(root)) {
            return files.filter(f -> Files.isRegularFile(f) && f.getParent().getFileName().toString().matches("new|cur")).count();
        }
    }

    static Map<String, String> sieve() throws Exception {
        Map<String, String> out = new TreeMap<>();
        servers.scripts(mailboxes).forEach((box, scripts) -> out.put(box, sha(scripts)));
        return out;
    }

    static String sha(String s) {
        try {
            return StackServers.sha(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
