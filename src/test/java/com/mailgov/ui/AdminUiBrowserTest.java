package com.mailgov.ui;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin UI in a real browser (Debian's headless Chromium) against the running service and
 * real PostgreSQL: people log in with local accounts and do the story's steps from the pages.
 * Assertions are about what a person sees; screenshots land in target/screenshots.
 */
@QuarkusTest
class AdminUiBrowserTest extends BrowserTestBase {


    String sales;
    String requester;
    String approver;
    String secondApprover;
    String auditor;
    String mailbox;

    /** 営業一部 with takahashi's mailbox, subscribed to an external list that points Reply-To at itself. */
    @BeforeEach
    void setUp() {
        sales = Api.department("SALES", "営業一部");
        String sys = Api.department("SYS", "システム部");
        requester = Api.user("takahashi", sales, "requester");
        approver = Api.user("shimanaka", sys, "approver");
        secondApprover = Api.user("sato", sys, "approver");
        auditor = Api.user("kansa", null, "auditor");
        mailbox = "takahashi." + sales.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(requester, request(sales, "takahashi and the partner list",
                item("CREATE", "MAILBOX", Map.of("address", mailbox, "displayName", "高橋")),
                item("CREATE", "EXTERNAL_SUBSCRIPTION", Map.of("mailbox", mailbox, "listAddress", "test-ml@partner.example",
                        "replyToList", true))))).statusCode(200);
    }

    @Test
    void theStorysAutoreplyIsSubmittedFromTheFormAndTheApproverSeesTheLoopDrawnAndCannotApprove() {
        browser.open("/login");
        browser.screenshot("login");
        browser.login(requester, Api.PASSWORD);
        browser.open("/submit");
        browser.type("title", "不在設定");
        browser.type("reason", "出張のため");
        browser.type("mailbox", mailbox);
        browser.type("subject", "不在のお知らせ");
        browser.type("body", "12月1日まで出張のため不在です。");
        browser.type("intervalDays", "7");
        browser.find("audience-all").click();
        browser.screenshot("submit");
        browser.find("submit-autoreply").click();
        browser.waitUntil(d -> d.getCurrentUrl().contains("/requests/"));
        String requestUrl = browser.driver.getCurrentUrl();
        assertEquals("BLOCK", browser.text("highest-severity"));
        assertTrue(browser.text("only-approvers").contains("Only approvers"));
        browser.logout();

        browser.login(approver, Api.PASSWORD);
        browser.open("/?severity=BLOCK&department=" + sales);
        assertTrue(browser.text("queue").contains("不在設定"), "the queue lists the blocked request");
        browser.screenshot("queue");
        browser.driver.get(requestUrl);

        // The loop, drawn: both addresses as nodes, the subscription and the autoreply as labelled edges on the cycle.
        WebElement svg = browser.css("#finding-autoreply-loop svg.loop");
        assertEquals(2, svg.findElements(org.openqa.selenium.By.cssSelector("g.node.on-cycle")).size());
        browser.css("#finding-autoreply-loop g.node[data-address='test-ml@partner.example']");
        browser.css("#finding-autoreply-loop g.node[data-address='" + mailbox + "']");
        WebElement subscription = browser.css("#finding-autoreply-loop g.edge.on-cycle[data-kind='SUBSCRIPTION']");
        WebElement autoreply = browser.css("#finding-autoreply-loop g.edge.on-cycle[data-kind='AUTOREPLY']");
        assertEquals("test-ml@partner.example", subscription.getAttribute("data-from"));
        assertEquals(mailbox, autoreply.getAttribute("data-from"));
        assertEquals("autoreply", autoreply.getText());
        assertTrue(browser.css("#finding-autoreply-loop .amplification").getText().matches("[0-9,]+"));
        assertTrue(browser.css("#finding-autoreply-loop").getText().contains("test-ml@partner.example → " + mailbox + " → (autoreply) → test-ml@partner.example"));

        // Blocked: the page says why and offers no way to approve; the preview shows the Sieve script.
        assertTrue(browser.text("why-blocked").contains("autoreply-loop"));
        assertFalse(browser.find("approve").isEnabled());
        assertTrue(browser.driver.getPageSource().contains("vacation :days 7"));
        browser.screenshot("request-blocked");

        browser.type("reject-comment", "List-Id を宣言するか、社内向けにしてください");
        browser.find("reject").click();
        browser.waitForText("request-status", "Rejected");
        browser.logout();
    }

    @Test
    void aSafeForwardIsApprovedBySomeoneElseAndReachesAppliedThenTheAuditorFindsItInJapanese() {
        String alias = "sales-info." + sales.toLowerCase() + "@corp.example";
        browser.login(requester, Api.PASSWORD);
        browser.open("/submit");
        browser.type("title", "Sales info alias");
        browser.type("reason", "Customers write to sales-info");
        browser.type("source", alias);
        browser.type("targets", mailbox);
        browser.find("submit-forward").click();
        browser.waitUntil(d -> d.getCurrentUrl().contains("/requests/"));
        String requestUrl = browser.driver.getCurrentUrl();
        String id = requestUrl.substring(requestUrl.lastIndexOf('/') + 1);
        assertTrue(browser.find("no-findings").isDisplayed());
        browser.logout();

        browser.login(approver, Api.PASSWORD);
        browser.driver.get(requestUrl);
        assertTrue(browser.css("table.diff").getText().contains(alias));
        browser.type("approve-comment", "OK");
        browser.find("approve").click();
        // Applying to the mail servers may take a while; the page follows the status by itself.
        browser.waitForText("request-status", "Applied");
        assertEquals("APPLIED", browser.find("request-status").getAttribute("data-value"));
        // Per mail server: what was pushed, after how many attempts.
        List<WebElement> pushes = browser.all("#pushes tbody tr");
        assertFalse(pushes.isEmpty(), "the page lists the push to each mail server");
        assertTrue(pushes.stream().allMatch(r -> "APPLIED".equals(r.getAttribute("data-status"))));
        browser.screenshot("request-applied");

        // Four eyes: an approver's own request is explained, not offered for approval.
        browser.open("/submit");
        browser.type("title", "My own forward");
        browser.type("reason", "test");
        browser.select("department", sales);
        browser.type("source", "own." + sales.toLowerCase() + "@corp.example");
        browser.type("targets", mailbox);
        browser.find("submit-forward").click();
        browser.waitUntil(d -> d.getCurrentUrl().contains("/requests/"));
        assertTrue(browser.text("why-not-own").contains("four eyes"));
        assertTrue(browser.all("#approve").isEmpty());
        browser.open("/directory?department=" + sales);
        assertTrue(browser.text("directory").contains(alias));
        browser.screenshot("directory");
        browser.logout();

        browser.login(auditor, Api.PASSWORD);
        browser.open("/audit?object=" + id);
        assertEquals("true", browser.find("chain-status").getAttribute("data-valid"));
        String log = browser.text("audit");
        assertTrue(log.contains("change.submitted") && log.contains("change.approved"), log);
        assertTrue(log.contains(approver));
        assertTrue(browser.find("export-csv").getAttribute("href").endsWith("/api/v1/audit/export?format=csv"));
        browser.screenshot("audit");

        browser.find("switch-lang").click();
        browser.waitUntil(d -> "ja".equals(d.findElement(org.openqa.selenium.By.tagName("html")).getAttribute("lang")));
        assertEquals("監査ログ", browser.css("main h1").getText());
        assertTrue(browser.text("chain-status").contains("ハッシュチェーン検証済み"));
        browser.screenshot("audit-ja");
        browser.open("/");
        assertEquals("変更申請", browser.css("main h1").getText());
        browser.find("switch-lang").click();
        browser.waitUntil(d -> "en".equals(d.findElement(org.openqa.selenium.By.tagName("html")).getAttribute("lang")));
        browser.logout();
    }

    @Test
    void aWarningNeedsAnOverrideReasonAndBadInputIsShownNextToTheField() {
        browser.login(requester, Api.PASSWORD);
        browser.open("/submit");
        browser.type("source", "out." + sales.toLowerCase() + "@corp.example");
        browser.type("targets", "me@home.example");
        browser.find("submit-forward").click();
        // No title, no reason: the service's problem is shown in place, the typed values are kept.
        assertTrue(browser.text("title-error").contains("required"), browser.text("title-error"));
        assertEquals("true", browser.find("title").getAttribute("aria-invalid"));
        assertEquals("me@home.example", browser.find("targets").getAttribute("value"));
        browser.screenshot("submit-invalid");
        browser.type("title", "Forward home");
        browser.type("reason", "Travel");
        browser.find("submit-forward").click();
        browser.waitUntil(d -> d.getCurrentUrl().contains("/requests/"));
        String requestUrl = browser.driver.getCurrentUrl();
        assertEquals("WARN", browser.text("highest-severity"));
        browser.logout();

        browser.login(secondApprover, Api.PASSWORD);
        browser.driver.get(requestUrl);
        browser.find("approve").click();
        assertTrue(browser.text("override-error").contains("required"));
        assertTrue(browser.text("problem").contains("overrideReason"));
        browser.type("override-reason", "Approved by the department head for the business trip");
        browser.find("approve").click();
        browser.waitForText("request-status", "Applied");
        browser.logout();
    }

    @Test
    void adminsSeeCustomRuleErrorsInPlaceAndCreateLocalAccounts() throws java.io.IOException {
        browser.login("admin", Api.ADMIN_PASSWORD);
        browser.open("/admin/policies");
        browser.type("c-id", "custom-" + sales.toLowerCase());
        browser.type("c-expression", "changes.exists(c, c.kind == )");
        browser.type("c-message", "broken");
        browser.find("add-custom").click();
        assertTrue(browser.text("expression-error").contains("does not compile"), browser.text("expression-error"));
        assertEquals("changes.exists(c, c.kind == )", browser.find("c-expression").getAttribute("value"));
        browser.screenshot("policies");

        browser.open("/admin/users");
        String name = Api.unique("ui-user-").toLowerCase();
        browser.type("u-username", name);
        browser.type("u-password", "short");
        browser.css("input[name='roles'][value='auditor']").click();
        browser.find("create-user").click();
        assertTrue(browser.text("password-error").contains("must be 12"), browser.driver.getPageSource());
        browser.type("u-password", Api.PASSWORD);
        browser.find("create-user").click();
        // The form posts back to /admin/users, so the URL cannot tell the new page from the old one:
        // wait for the new account in the (re-located) list instead.
        browser.waitForText("users", name);
        browser.screenshot("users");

        browser.open("/servers");
        WebElement server = browser.css("#servers tbody tr");
        String serverName = server.getAttribute("data-server");
        server.findElement(org.openqa.selenium.By.linkText("Check drift now")).click();
        assertTrue(browser.text("drift-report").contains(serverName), browser.text("drift-report"));
        browser.css("#servers button[id^='reconcile-']").click();
        assertTrue(browser.find("reconcile-queued").isDisplayed());
        browser.screenshot("servers");

        // a newly registered server is only observed; its plan is confirmed in the page
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("mailgov-ui-plan");
        int observed = Api.admin().body(java.util.Map.of("name", Api.unique("plan").toLowerCase(), "kind", "FILE",
                "endpoint", folder.toString())).post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        try {
            browser.open("/servers");
            assertTrue(browser.css("#servers tr[data-server] td.mode").getText().length() > 0);
            browser.find("plan-" + observed).click();
            assertTrue(browser.text("server-mode").contains("OBSERVE"));
            assertTrue(browser.text("plan-writes").length() > 0, browser.driver.getPageSource());
            browser.screenshot("server-plan");
            browser.find("confirm-plan").click();
            assertTrue(browser.find("enforced").isDisplayed());
            Api.admin().get("/api/v1/mail-servers/{id}", observed).then().body("mode", org.hamcrest.Matchers.equalTo("ENFORCE"));
        } finally {
            Api.admin().delete("/api/v1/mail-servers/{id}", observed);
        }
        browser.logout();
        browser.login(name, Api.PASSWORD);
        assertTrue(browser.driver.getPageSource().contains("/audit"));
        List<WebElement> submitLinks = browser.all("a[href='/submit']");
        assertTrue(submitLinks.isEmpty(), "an auditor is not offered the submit form");
        browser.logout();
    }
}
