package com.mailgov.change.csv;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The April rotation: export a department's objects, edit them in a spreadsheet, send them back as one request. */
@QuarkusTest
class CsvBulkTest {

    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    static final Charset SJIS = Charset.forName("windows-31j");

    String dept;
    String requester;
    String approver;

    @BeforeEach
    void setUp() {
        dept = Api.department("EIGYO", "営業部");
        requester = Api.user("req", dept, "requester");
        approver = Api.user("appr", Api.department("SYS", "システム部"), "approver");
    }

    private String addr(String local) {
        return local + "." + dept.toLowerCase() + "@corp.example";
    }

    private Response postCsv(byte[] body, String contentType, String query) {
        // RestAssured would add "; charset=ISO-8859-1" to a text/* type; send exactly what a client would.
        return as(requester).config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                        .encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType(contentType).body(body).log().ifValidationFails().post("/api/v1/change-requests?" + query);
    }

    private int requestsOfDepartment() {
        return as(requester).get("/api/v1/change-requests").then().statusCode(200).extract().jsonPath().getList("id").size();
    }

    @Test
    void exportEditInShiftJisAndImportIsOneRequestWithHundredsOfChanges() {
        String setup = Api.submit(requester, request(dept, "setup",
                item("CREATE", "MAILBOX", Map.of("address", addr("tanaka"), "displayName", "田中 太郎")),
                item("CREATE", "MAILBOX", Map.of("address", addr("suzuki"), "displayName", "鈴木, 花子")),
                item("CREATE", "FORWARD", Map.of("source", addr("desk"), "targets", List.of(addr("tanaka")))),
                item("CREATE", "MAILING_LIST", Map.of("address", addr("all"), "name", "営業部 全員",
                        "members", List.of(addr("tanaka"), addr("old")))),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", addr("tanaka"), "subject", "不在のお知らせ",
                        "body", "12月1日から不在です。\n=お急ぎの方は \"鈴木\" まで", "intervalDays", 7, "audience", "INTERNAL"))));
        Api.approve(approver, setup).statusCode(200);

        byte[] exported = as(requester).get("/api/v1/directory?format=csv").then().statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString(".csv"))
                .extract().asByteArray();
        assertArrayEquals(BOM, Arrays.copyOf(exported, 3), "UTF-8 BOM first, so Excel shows Japanese");
        String text = new String(exported, 3, exported.length - 3, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("action,kind,department,address,targets,displayName"), text);
        assertTrue(text.contains("田中 太郎") && text.contains("\"鈴木, 花子\""), text);

        // Edit as a spreadsheet would: mark changed rows, add many rows, save as Shift_JIS ("CSV" in Japanese Excel).
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n")));
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith(",FORWARD,")) {
                lines.set(i, "UPDATE" + l.replace(addr("tanaka"), addr("tanaka") + " " + addr("suzuki")));
            } else if (l.startsWith(",LIST_MEMBER,") && l.contains(addr("old"))) {
                lines.set(i, "DELETE" + l);
            } else if (l.startsWith(",MAILBOX,") && l.contains(addr("suzuki"))) {
                lines.set(i, "UPDATE" + l.replace("鈴木, 花子", "鈴木 花子(営業二課)"));
            }
        }
        for (int n = 0; n < 300; n++) {
            lines.add("CREATE,LIST_MEMBER," + dept + "," + addr("all") + "," + addr("member" + n));
        }
        String edited = String.join("\r\n", lines) + "\r\n";
        int before = requestsOfDepartment();
        String id = postCsv(edited.getBytes(SJIS), "text/csv", "title=April rotation&reason=4月の異動")
                .then().statusCode(201)
                .body("status", equalTo("SUBMITTED"))
                .body("items", hasSize(303))
                .body("title", equalTo("April rotation"))
                .body("reason", equalTo("4月の異動"))
                .extract().path("id");
        assertEquals(before + 1, requestsOfDepartment(), "one change request for the whole file");
        Api.approve(approver, id).statusCode(200);

        String after = new String(as(requester).get("/api/v1/directory?format=csv").then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8);
        assertTrue(after.contains("鈴木 花子(営業二課)"), "Japanese from a Shift_JIS file arrives intact");
        assertTrue(after.contains(addr("tanaka") + " " + addr("suzuki")), "the forward has both targets");
        assertFalse(after.contains(addr("old")), "the removed member is gone");
        assertTrue(after.contains(addr("member299")));
        // The autoreply body (multi-line, quotes, a formula-like line) survived the export unchanged.
        as(requester).get("/api/v1/directory?kind=AUTOREPLY").then()
                .body("objects.spec.body", hasItem("12月1日から不在です。\n=お急ぎの方は \"鈴木\" まで"));
    }

    @Test
    void utf8WithBomAndAnExplicitCharsetAreReadToo() {
        String csv = "action,kind,address,displayName\r\nCREATE,MAILBOX," + addr("ito") + ",伊藤 一郎\r\n";
        byte[] withBom = concat(BOM, csv.getBytes(StandardCharsets.UTF_8));
        postCsv(withBom, "text/csv", "department=" + dept + "&reason=new%20joiner").then().log().ifValidationFails().statusCode(201)
                .body("items[0].spec.displayName", equalTo("伊藤 一郎"));
        String csv2 = "action,kind,address,displayName\r\nCREATE,MAILBOX," + addr("kato") + ",加藤\r\n";
        postCsv(csv2.getBytes(StandardCharsets.UTF_8), "text/csv; charset=UTF-8", "department=" + dept + "&reason=x")
                .then().statusCode(201).body("items[0].spec.displayName", equalTo("加藤"));
        postCsv(csv2.replace("kato", "kato2").getBytes(SJIS), "text/csv; charset=Shift_JIS", "department=" + dept + "&reason=x")
                .then().statusCode(201).body("items[0].spec.displayName", equalTo("加藤"));
    }

    @Test
    void errorsNameLineAndColumnAndNothingIsStored() {
        StringBuilder csv = new StringBuilder("action,kind,department,address,targets\r\n");
        for (int n = 2; n <= 11; n++) {
            csv.append("CREATE,FORWARD,").append(dept).append(',').append(addr("f" + n)).append(',').append(addr("t" + n)).append("\r\n");
        }
        csv.append("CREATE,FORWARD,").append(dept).append(',').append(addr("f12")).append(",not-an-address\r\n");
        long revision = Api.revision();
        int before = requestsOfDepartment();
        postCsv(csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv", "reason=x").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:validation-failed"))
                .body("errors[0].field", equalTo("line 12, column targets (entry 1)"))
                .body("detail", containsString("line 12, column targets"));
        assertEquals(before, requestsOfDepartment(), "nothing stored");
        assertEquals(revision, Api.revision());

        // Values the CSV itself gets wrong are all listed, each with its place.
        String bad = "action,kind,address,targets,keepCopy\r\nCREATE,FORWARD," + addr("a") + "," + addr("b") + ",maybe\r\n"
                + "RENAME,FORWARD," + addr("c") + ",,\r\nCREATE,MAILBOX," + addr("d") + "," + addr("e") + ",\r\n";
        postCsv(bad.getBytes(StandardCharsets.UTF_8), "text/csv", "department=" + dept + "&reason=x").then().statusCode(400)
                .body("errors.field", equalTo(List.of("line 2, column keepCopy", "line 3, column action", "line 4, column targets")));
        assertEquals(before, requestsOfDepartment());
    }

    @Test
    void wrongColumnsBadEncodingAndHugeFilesAreClearProblems() {
        String q = "department=" + dept + "&reason=x";
        postCsv("action,kind,adress\r\nCREATE,MAILBOX,x@corp.example\r\n".getBytes(StandardCharsets.UTF_8), "text/csv", q)
                .then().statusCode(400)
                .body("errors.field", hasItem("line 1, column 3"))
                .body("errors.message", hasItem(containsString("unknown column adress")))
                .body("errors.message", hasItem(containsString("no column address")));
        postCsv("name,mail\r\n".getBytes(StandardCharsets.UTF_8), "text/csv", q).then().statusCode(400)
                .body("errors[0].message", containsString("unknown column name"));
        postCsv(new byte[0], "text/csv", q).then().statusCode(400).body("errors[0].field", equalTo("body"));
        postCsv("action,kind,address\r\n,MAILBOX,x@corp.example\r\n".getBytes(StandardCharsets.UTF_8), "text/csv", q)
                .then().statusCode(400).body("errors[0].field", equalTo("rows"));

        // Valid in neither UTF-8 nor Shift_JIS: a lead byte with no trail byte, on line 2.
        byte[] broken = concat("action,kind,address,displayName\r\nCREATE,MAILBOX,x@corp.example,".getBytes(StandardCharsets.US_ASCII),
                new byte[]{(byte) 0x82, '\r', '\n'});
        postCsv(broken, "text/csv", q).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:malformed-request"))
                .body("errors[0].field", equalTo("line 2"))
                .body("detail", containsString("Shift_JIS"));
        // Declared UTF-8 but written by Excel as Shift_JIS.
        byte[] sjis = ("action,kind,address,displayName\r\nCREATE,MAILBOX," + addr("x") + ",佐藤\r\n").getBytes(SJIS);
        postCsv(sjis, "text/csv; charset=utf-8", q).then().statusCode(400)
                .body("detail", containsString("UTF-8")).body("errors[0].field", equalTo("line 2"));
        postCsv(sjis, "text/csv; charset=klingon", q).then().statusCode(415);
        postCsv("action,kind,address\r\nCREATE,MAILBOX,\"x@corp.example\r\n".getBytes(StandardCharsets.UTF_8), "text/csv", q)
                .then().statusCode(400).body("errors[0].field", equalTo("line 2"));

        StringBuilder huge = new StringBuilder("action,kind,address,targets\r\n");
        while (huge.length() < 300_000) {
            huge.append("CREATE,LIST_MEMBER,list@corp.example,member").append(huge.length()).append("@partner.example\r\n");
        }
        postCsv(huge.toString().getBytes(StandardCharsets.UTF_8), "text/csv", q).then().statusCode(413)
                .contentType("application/problem+json");
        StringBuilder many = new StringBuilder("action,kind,address,targets\r\n");
        for (int n = 0; n < 501; n++) {
            many.append("CREATE,LIST_MEMBER,a@corp.example,m").append(n).append("@partner.example\r\n");
        }
        postCsv(many.toString().getBytes(StandardCharsets.UTF_8), "text/csv", q).then().statusCode(400)
                .body("errors[0].field", equalTo("rows")).body("errors[0].message", containsString("at most 500"));
    }

    @Test
    void theAuditCsvStartsWithABom() {
        byte[] audit = Api.admin().get("/api/v1/audit/export?format=csv").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(BOM, Arrays.copyOf(audit, 3));
        assertTrue(new String(audit, 3, audit.length - 3, StandardCharsets.UTF_8).startsWith("seq,occurred_at,"));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
