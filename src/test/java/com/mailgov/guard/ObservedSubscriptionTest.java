package com.mailgov.guard;

import com.mailgov.guard.incident.GuardTicker;
import com.mailgov.guard.protocol.GuardServer;
import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.MilterClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The salesman subscribed at the partner's list himself: mailgov learns it from the mail path.
 * A post with List-Id from the outside list reaches his mailbox → the directory API shows an
 * "observed, not registered" subscription → the story's autoreply request, harmless before, is
 * now BLOCKed by the loop engine (unknown list behaviour = worst case).
 */
@QuarkusTest
class ObservedSubscriptionTest {

    @Inject
    GuardServer server;

    @Inject
    GuardTicker ticker;

    @Test
    void aListPostRevealsTheSubscriptionAndTheStoryAutoreplyIsBlocked() throws Exception {
        String sales = Api.department("OBS", "営業二部");
        String requester = Api.user("obs-req", sales, "requester");
        String approver = Api.user("obs-appr", null, "approver");
        String mailbox = "takahashi." + sales.toLowerCase() + "@corp.example";
        String list = "partner-ml-" + sales.toLowerCase() + "@partner.example";
        Api.approve(approver, Api.submit(requester, request(sales, "mailbox",
                item("CREATE", "MAILBOX", Map.of("address", mailbox, "displayName", "高橋"))))).statusCode(200);
        Map<String, Object> autoreply = item("CREATE", "AUTOREPLY", Map.of("mailbox", mailbox, "subject", "不在のお知らせ",
                "body", "出張のため12月1日まで不在です。", "intervalDays", 0, "audience", "ALL"));

        // before: nothing known about a subscription, so no loop through it
        String before = Api.submit(requester, request(sales, "不在設定", autoreply));
        as(approver).get("/api/v1/change-requests/{id}", before).then().statusCode(200)
                .body("findings.ruleId", not(hasItem("autoreply-loop")));
        as(requester).post("/api/v1/change-requests/{id}/withdraw", before).then().statusCode(200);

        // a post of the outside list reaches the mailbox (Postfix calls the guard as a milter)
        int port = server.start();
        try (MilterClient milter = new MilterClient(port)) {
            assertEquals('c', milter.message("OBS1", list.replace("@", "-bounces+x=corp.example@"), mailbox,
                    Map.of("List-Id", "<partner-ml.partner.example>", "List-Post", "<mailto:" + list + ">")));
        }
        ticker.beat();
        Api.admin().get("/api/v1/directory/observed-subscriptions").then().statusCode(200)
                .body("find { it.mailbox == '" + mailbox + "' }.listAddress", equalTo(list))
                .body("find { it.mailbox == '" + mailbox + "' }.status", equalTo("observed, not registered"))
                .body("find { it.mailbox == '" + mailbox + "' }.listId", equalTo("<partner-ml.partner.example>"));

        // after: the same request is blocked, with the observed subscription on its path
        String after = Api.submit(requester, request(sales, "不在設定", autoreply));
        as(approver).get("/api/v1/change-requests/{id}", after).then().statusCode(200)
                .body("highestSeverity", equalTo("BLOCK"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.severity", equalTo("BLOCK"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.path", hasItem(list));
        Api.approve(approver, after).statusCode(422);
    }
}
