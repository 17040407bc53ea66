package com.mailgov.push;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Before approving, the approver sees exactly what each server would receive. */
@QuarkusTest
class PreviewApiTest {

    @Test
    void showsMapLinesAndTheSieveScriptOfARequest() {
        String dept = Api.department("PRE", "プレビュー");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String box = Api.unique("takahashi") + "@corp.example";
        String alias = Api.unique("sales") + "@corp.example";
        String list = Api.unique("team") + "@corp.example";
        Api.approve(approver, Api.submit(requester, request(dept, "mailbox",
                item("CREATE", "MAILBOX", Map.of("address", box)),
                item("CREATE", "MAILING_LIST", Map.of("address", list, "name", "チーム", "members", List.of(box)))))).statusCode(200);
        String id = Api.submit(requester, request(dept, "autoreply and alias",
                item("CREATE", "FORWARD", Map.of("source", alias, "targets", List.of(box), "keepCopy", false)),
                item("CREATE", "LIST_MEMBER", Map.of("list", list, "member", "partner@example.com")),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", box, "subject", "不在 \"OOO\"", "body", "不在です。\n.\n${x}",
                        "intervalDays", 7, "audience", "INTERNAL"))));
        String file = "servers.find { it.server == 'file' }.artifacts";
        as(approver).get("/api/v1/change-requests/{id}/preview", id).then().statusCode(200)
                .body("servers.find { it.server == 'file' }.kind", equalTo("FILE"))
                .body(file + ".find { it.key == '" + alias + "' }.content", equalTo(box))
                .body(file + ".find { it.key == '" + alias + "' }.operation", equalTo("write line in postfix/virtual"))
                .body(file + ".find { it.key == '" + list + "' }.content", equalTo("partner@example.com, " + box)) // members sorted
                .body(file + ".find { it.key == '" + list + "' }.change", equalTo("UPDATE"))
                .body(file + ".find { it.type == 'VACATION' }.operation", equalTo("write sieve/" + box + ".sieve"))
                .body(file + ".find { it.type == 'VACATION' }.change", equalTo("CREATE"))
                .body(file + ".find { it.type == 'VACATION' }.content", containsString(":subject \"不在 \\\"OOO\\\"\""))
                .body(file + ".find { it.type == 'VACATION' }.content", containsString(":addresses [\"" + box + "\", \"" + alias + "\"]"))
                .body(file + ".find { it.type == 'VACATION' }.content", containsString("envelope :domain :is \"from\" [\"corp.example\"]"))
                .body(file + ".find { it.type == 'VACATION' }.content", containsString("\r\n..\r\n${x}\r\n.\r\n"));

        String removal = Api.submit(requester, request(dept, "remove list", item("DELETE", "MAILING_LIST", Map.of("address", list))));
        as(approver).get("/api/v1/change-requests/{id}/preview", removal).then().statusCode(200)
                .body(file + ".find { it.key == '" + list + "' }.change", equalTo("DELETE"))
                .body(file + ".find { it.key == '" + list + "' }.content", nullValue());
        String other = Api.user("other", Api.department("OTH", "他"), "requester");
        as(other).get("/api/v1/change-requests/{id}/preview", id).then().statusCode(404);
    }
}
