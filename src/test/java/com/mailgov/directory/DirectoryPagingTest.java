package com.mailgov.directory;

import com.mailgov.testsupport.Api;
import com.mailgov.web.Cursor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/v1/directory hands out the directory a page at a time (issue 12 #9: it used to load every
 * object, 282k in the benchmark's directory): following the cursors reaches every object once, in
 * the same order, even when objects are added while a client pages; the CSV export still holds all.
 */
@QuarkusTest
class DirectoryPagingTest {

    @Test
    void followingTheCursorsReachesEveryObjectOnceEvenWhenOneIsAddedWhilePaging() {
        String dept = Api.department("PAGE", "ページ部");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String tag = Api.unique("pg").toLowerCase();
        List<String> addresses = IntStream.range(0, 25).mapToObj(i -> String.format("%s-%02d@corp.example", tag, i)).toList();
        approveMailboxes(requester, approver, dept, addresses);

        Response first = page(approver, dept, null);
        assertEquals(addresses.subList(0, 10), first.path("objects.key"));
        assertNull(first.path("previous"), "the first page has no previous page");
        assertTrue(first.headers().getValues("Link").stream().anyMatch(l -> l.contains("rel=\"next\"")), "Link: rel=next");

        // Added while the client pages, before its position: the next page is neither shifted nor repeated.
        approveMailboxes(requester, approver, dept, List.of(tag + "-00a@corp.example"));

        Response second = page(approver, dept, first.path("next"));
        assertEquals(addresses.subList(10, 20), second.path("objects.key"));
        Response third = page(approver, dept, second.path("next"));
        assertEquals(addresses.subList(20, 25), third.path("objects.key"));
        assertNull(third.path("next"), "the last page has no next page");
        assertTrue(third.headers().getValues("Link").stream().noneMatch(l -> l.contains("rel=\"next\"")));

        // Back from the second page: the ten objects just before it, the one added meanwhile among them.
        Response back = page(approver, dept, second.path("previous"));
        List<String> expected = new ArrayList<>(List.of(tag + "-00a@corp.example"));
        expected.addAll(addresses.subList(1, 10));
        assertEquals(expected, back.path("objects.key"));
        assertNotNull(back.path("previous"), "the first object is still before it");

        // The CSV export is not paged: every object of the department, Japanese names intact.
        String csv = new String(as(approver).queryParam("department", dept).queryParam("format", "csv")
                .get("/api/v1/directory").then().statusCode(200).contentType(startsWith("text/csv"))
                .extract().asByteArray(), StandardCharsets.UTF_8);
        long rows = csv.lines().filter(l -> l.contains("@corp.example") && l.contains(tag)).count();
        assertEquals(26, rows, csv);
        assertTrue(csv.contains("ページ太郎 24"), csv);
    }

    @Test
    void aCursorThisListDidNotHandOutIsA400NamingTheCursor() {
        String foreign = Cursor.after("audit", "5").token();
        for (String bad : List.of("not a cursor!", "eyJ4IjoxfQ", foreign)) {
            for (String path : List.of("/api/v1/directory", "/api/v1/change-requests")) {
                Api.admin().queryParam("cursor", bad).get(path).then().statusCode(400)
                        .contentType(startsWith("application/problem+json"))
                        .body("type", equalTo("urn:mailgov:problem:invalid-cursor"))
                        .body("errors[0].field", equalTo("cursor"));
            }
        }
        Api.admin().queryParam("cursor", Cursor.after("directory", "MAILBOX", "x@corp.example").token())
                .get("/api/v1/audit").then().statusCode(400).body("type", equalTo("urn:mailgov:problem:invalid-cursor"));
        Api.admin().queryParam("limit", 0).get("/api/v1/directory").then().statusCode(400)
                .body("type", equalTo("urn:mailgov:problem:validation-failed")).body("errors[0].field", equalTo("limit"));
        Api.admin().queryParam("limit", 5001).get("/api/v1/directory").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    private static Response page(String user, String dept, String cursor) {
        var spec = as(user).queryParam("department", dept).queryParam("kind", "MAILBOX").queryParam("limit", 10);
        if (cursor != null) {
            spec.queryParam("cursor", cursor);
        }
        return spec.get("/api/v1/directory").then().statusCode(200).extract().response();
    }

    private static void approveMailboxes(String requester, String approver, String dept, List<String> addresses) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] items = addresses.stream()
                .map(a -> item("CREATE", "MAILBOX", Map.of("address", a, "displayName", "ページ太郎 " + a.replaceAll(".*-(\\w+)@.*", "$1"))))
                .toArray(Map[]::new);
        String id = Api.submit(requester, request(dept, "mailboxes", items));
        Api.approve(approver, id).statusCode(200);
    }
}
