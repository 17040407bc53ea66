package com.mailgov.change;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.UiSession;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The approvers' queue reaches every pending request however many newer ones there are (issue 12 #9:
 * it looked at the newest 500 requests of any status, so an older pending one vanished from view).
 */
@QuarkusTest
class ChangeRequestQueueTest {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private static final Pattern ROW_LINK = Pattern.compile("<a href=\"/requests/([0-9a-f-]{36})\">");

    @Inject
    AgroalDataSource db;

    @Test
    void anOldPendingRequestStaysReachableBehind600NewerDecidedOnes() throws SQLException {
        String dept = Api.department("QUEUE", "キュー");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String oldest = Api.submit(requester, request(dept, "古い申請", mailbox("old")));
        // 600 newer requests that were decided long ago: copies of it made in the database, since
        // submitting 600 over HTTP would take minutes; they count like any other row.
        copyAsDecided(oldest, 600);
        String second = Api.submit(requester, request(dept, "二番目", mailbox("second")));
        String third = Api.submit(requester, request(dept, "三番目", mailbox("third")));

        // API: the pending ones, the one waiting longest first, two per page, linked by the Link header.
        Response first = as(approver).get("/api/v1/change-requests?department={d}&status=SUBMITTED&order=oldest&limit=2", dept)
                .then().statusCode(200).extract().response();
        assertEquals(List.of(oldest, second), first.path("id"));
        Response rest = as(approver).get(nextLink(first)).then().statusCode(200).extract().response();
        assertEquals(List.of(third), rest.path("id"));
        assertNull(nextOrNull(rest), "no page after the last");

        // Newest first over every status, 500 per page: the old request is on the second page, once.
        List<String> all = new ArrayList<>();
        Response page = as(approver).get("/api/v1/change-requests?department={d}&limit=500", dept).then().statusCode(200)
                .extract().response();
        all.addAll(page.path("id"));
        String next = nextOrNull(page);
        assertNotNull(next);
        page = as(approver).get(next).then().statusCode(200).extract().response();
        all.addAll(page.path("id"));
        assertEquals(603, all.size());
        assertEquals(603, new HashSet<>(all).size(), "no request twice");
        assertEquals(oldest, all.get(all.size() - 1));

        // The approver's queue page: pending ones first in line, counts over all requests, pages for the rest.
        CookieFilter session = UiSession.login(approver);
        String queue = UiSession.page(session, "/?department=" + dept);
        assertEquals(List.of(oldest, second, third), rowIds(queue));
        assertTrue(queue.contains("id=\"count-submitted\">3<"), "3 pending");
        assertTrue(queue.contains("id=\"count-rejected\">600<"), "600 rejected");
        String everything = UiSession.page(session, "/?status=ALL&department=" + dept);
        assertEquals(50, rowIds(everything).size());
        assertEquals(oldest, rowIds(everything).get(0), "oldest first");
        Matcher more = Pattern.compile("id=\"page-next\" href=\"([^\"]+)\"").matcher(everything);
        assertTrue(more.find(), "a link to the next page");
        RestAssured.given().filter(session).get(more.group(1).replace("&amp;", "&")).then().statusCode(200)
                .body(containsString("id=\"page-previous\"")).body(not(containsString(oldest)));
    }

    private void copyAsDecided(String id, int copies) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO change_request
                SELECT (jsonb_populate_record(NULL::change_request, to_jsonb(r) || jsonb_build_object(
                        'id', gen_random_uuid(), 'status', 'REJECTED', 'title', 'decided ' || g,
                        'created_at', r.created_at + g * interval '1 millisecond'))).*
                FROM change_request r, generate_series(1, ?) g WHERE r.id = CAST(? AS uuid)""")) {
            s.setInt(1, copies);
            s.setString(2, id);
            assertEquals(copies, s.executeUpdate());
        }
    }

    private static Map<String, Object> mailbox(String name) {
        return item("CREATE", "MAILBOX", Map.of("address", Api.unique(name).toLowerCase() + "@corp.example", "displayName", name));
    }

    private static String nextLink(Response r) {
        String next = nextOrNull(r);
        assertNotNull(next, "a Link header to the next page");
        return next;
    }

    private static String nextOrNull(Response r) {
        for (String link : r.headers().getValues("Link")) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static List<String> rowIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW_LINK.matcher(html.substring(Math.max(0, html.indexOf("id=\"queue\""))));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
