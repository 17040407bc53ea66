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
import static org.hamcrest.Matchers.matchesPattern;
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
                .body(file + ".find { it.type == 'VACATION' }.content", matchesPattern("(?s).*envelope :domain :is \"from\" \\[[^\\]]*\"corp\\.example\"[^\\]]*\\].*"))
                .body(file + ".find { it.type == 'VACATION' }.content", containsString("\r\n..\r\n${x}\r\n.\r\n"));

        String removal = Api.submit(requester, request(dept, "remove list", item("DELETE", "MAILING_LIST", Map.of("address", list))));
        as(approver).get("/api/v1/change-requests/{id}/preview", removal).then().statusCode(200)
                .body(file + ".find { it.key == '" + list + "' }.change", equalTo("DELETE"))
                .body(file + ".find { it.key == '" + list + "' }.content", nullValue());
        String other = Api.user("other", Api.department("OTH", "他"), "requester");
        as(other).get("/api/v1/change-requests/{id}/preview", id).then().statusCode(404);
    }

    /** Issue 12 #5: a forward to another department's mailbox does not show that mailbox's Sieve script to the requester. */
    @Test
    void aRequesterDoesNotSeeAnotherDepartmentsSieveScriptInThePreview() {
        String exec = Api.department("EXE", "役員室");
        String sales = Api.department("SAL", "営業部");
        String secretary = Api.user("hisho", exec, "requester");
        String salesman = Api.user("req", sales, "requester");
        String approver = Api.user("appr", null, "approver");
        String ceo = Api.unique("ceo") + "@corp.example";
        Api.approve(approver, Api.submit(secretary, request(exec, "CEO away",
                item("CREATE", "MAILBOX", Map.of("address", ceo)),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", ceo, "subject", "極秘: 買収交渉のため不在", "body", "M&A 出張中",
                        "intervalDays", 7, "audience", "INTERNAL"))))).statusCode(200);
        String alias = Api.unique("to-ceo") + "@corp.example";
        String id = Api.submit(salesman, request(sales, "write to the CEO",
                item("CREATE", "FORWARD", Map.of("source", alias, "targets", List.of(ceo)))));
        String file = "servers.find { it.server == 'file' }.artifacts";
        String vacation = file + ".find { it.type == 'VACATION' && it.key == '" + ceo + "' }";
        as(salesman).get("/api/v1/change-requests/{id}/preview", id).then().statusCode(200)
                .body(vacation + ".redacted", equalTo(true))
                .body(vacation + ".content", nullValue())
                .body(vacation + ".change", equalTo("UPDATE"))
                .body(file + ".find { it.key == '" + alias + "' }.content", equalTo(ceo))
                .body(file + ".find { it.key == '" + alias + "' }.redacted", equalTo(false));
        as(approver).get("/api/v1/change-requests/{id}/preview", id).then().statusCode(200)
                .body(vacation + ".redacted", equalTo(false))
                .body(vacation + ".content", containsString("買収交渉"));
    }
}
