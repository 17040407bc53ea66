package com.mailgov.ui;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;

import java.net.URL;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An employee in a real browser (Debian's headless Chromium), in Japanese and Japan time: signs in,
 * lands on their own autoreply, sets an absence with times, sees it applied; another employee's
 * mailbox is out of reach by URL and by a tampered form.
 */
@QuarkusTest
class SelfServiceBrowserTest extends BrowserTestBase {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");


    String tanaka;
    String suzuki;
    String suzukiMailbox;

    @BeforeEach
    void setUp() {
        String sales = Api.department("SALES", "営業一部");
        String sys = Api.department("SYS", "システム部");
        String requester = Api.user("it", sales, "requester");
        String approver = Api.user("shimanaka", sys, "approver");
        String tanakaMailbox = "tanaka." + sales.toLowerCase() + "@corp.example";
        suzukiMailbox = "suzuki." + sales.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(requester, request(sales, "two mailboxes",
                item("CREATE", "MAILBOX", Map.of("address", tanakaMailbox, "displayName", "田中")),
                item("CREATE", "MAILBOX", Map.of("address", suzukiMailbox, "displayName", "鈴木"))))).statusCode(200);
        tanaka = employee("tanaka", tanakaMailbox);
        suzuki = employee("suzuki", suzukiMailbox);
    }

    static String employee(String prefix, String email) {
        String username = Api.unique(prefix).toLowerCase();
        Api.admin().body(Map.of("username", username, "password", Api.PASSWORD, "roles", List.of("self"), "email", email))
                .post("/api/v1/users").then().statusCode(201);
        return username;
    }

    /** Japanese, Japan time: the cookies the language link and ui.js would set. */
    void japaneseInTokyo() {
        // The browser itself in Japan time: ui.js reports the browser's zone to the server.
        ((org.openqa.selenium.chrome.ChromeDriver) browser.driver).executeCdpCommand("Emulation.setTimezoneOverride",
                Map.of("timezoneId", "Asia/Tokyo"));
        browser.open("/login");
        browser.driver.manage().addCookie(new Cookie("mailgov-lang", "ja"));
        browser.driver.manage().addCookie(new Cookie("mailgov-tz", "Asia/Tokyo"));
    }

    /** The zone the pages use: what ui.js last reported (Japan time unless the override did not take). */
    ZoneId pageZone() {
        Cookie tz = browser.driver.manage().getCookieNamed("mailgov-tz");
        return tz == null ? ZoneId.of("UTC") : ZoneId.of(java.net.URLDecoder.decode(tz.getValue(), java.nio.charset.StandardCharsets.UTF_8));
    }

    void setTime(String id, ZonedDateTime time) {
        ((JavascriptExecutor) browser.driver).executeScript("document.getElementById(arguments[0]).value = arguments[1];",
                id, INPUT.format(time));
    }

    int statusOf(String path) {
        Object status = ((JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status));", path);
        return ((Number) status).intValue();
    }

    @Test
    void anEmployeeSetsAnAbsenceWithTimesAndSeesItApplied() {
        japaneseInTokyo();
        browser.login(tanaka, Api.PASSWORD);
        browser.waitUntil(d -> d.getCurrentUrl().contains("/me/autoreply"));
        assertEquals("tanaka", browser.text("own-mailbox").substring(0, 6));
        assertTrue(browser.text("state").contains("設定されていません"), browser.text("state"));

        assertEquals(TOKYO, pageZone());
        ZonedDateTime from = ZonedDateTime.now(TOKYO).truncatedTo(ChronoUnit.MINUTES).minusHours(1);
        ZonedDateTime until = from.plusDays(3).withHour(18).withMinute(0);
        browser.type("subject", "不在のお知らせ");
        browser.type("body", "12月5日まで出張のため不在です。急ぎの用件は営業一部までご連絡ください。");
        setTime("startsAt", from);
        setTime("endsAt", until);
        browser.find("audience-internal").click();
        browser.find("save").click();
        browser.waitForText("saved", "保存しました");

        // Approved by the policy and pushed within seconds: reload until the page says it is active.
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(90)).until(d -> {
            d.navigate().refresh();
            return "active".equals(d.findElement(By.id("state")).getAttribute("data-state"));
        });
        assertTrue(browser.text("state").contains("有効です"), browser.text("state"));
        assertTrue(browser.text("approved-by").contains("own-autoreply"), browser.text("approved-by"));
        assertEquals(SHOWN.format(from), browser.text("state-starts"));
        assertEquals(SHOWN.format(until), browser.text("state-ends"));
        assertTrue(browser.text("preview").contains("Subject: 不在のお知らせ"), browser.text("preview"));
        assertTrue(browser.text("preview").contains("Auto-Submitted: auto-replied"), browser.text("preview"));
        browser.screenshot("self-service-ja");

        // A field left empty: the message is Japanese and sits next to the field.
        browser.find("subject").clear();
        browser.find("save").click();
        browser.waitForText("subject-error", "入力してください");
        assertEquals("true", browser.find("subject").getAttribute("aria-invalid"));

        // The same page in English.
        browser.driver.manage().addCookie(new Cookie("mailgov-lang", "en"));
        browser.open("/me/autoreply");
        assertTrue(browser.text("state").contains("Active"), browser.text("state"));
        browser.screenshot("self-service-en");
    }

    @Test
    void anotherEmployeesMailboxIsNotReachableByUrlOrByATamperedForm() {
        Map<String, Object> suzukisAbsence = Map.of("subject", "鈴木の不在", "body", "不在です。",
                "startsAt", ZonedDateTime.now(TOKYO).toOffsetDateTime().toString(),
                "endsAt", ZonedDateTime.now(TOKYO).plusDays(2).toOffsetDateTime().toString(), "audience", "INTERNAL");
        Api.as(suzuki).body(suzukisAbsence).put("/api/v1/me/autoreply").then().statusCode(200);

        japaneseInTokyo();
        browser.login(tanaka, Api.PASSWORD);
        browser.waitUntil(d -> d.getCurrentUrl().contains("/me/autoreply"));

        // By URL: a 403 page in Japanese, no form.
        assertEquals(403, statusOf("/me/autoreply?mailbox=" + suzukiMailbox));
        browser.open("/me/autoreply?mailbox=" + suzukiMailbox);
        assertTrue(browser.text("problem").contains("自分のメールボックス"), browser.text("problem"));
        assertTrue(browser.all("#absence-form").isEmpty());

        // By form tampering: the hidden mailbox field rewritten to suzuki's.
        browser.open("/me/autoreply");
        ((JavascriptExecutor) browser.driver).executeScript("document.getElementById('mailbox').value = arguments[0];", suzukiMailbox);
        browser.type("subject", "乗っ取り");
        browser.type("body", "本文");
        ZonedDateTime now = ZonedDateTime.now(TOKYO).truncatedTo(ChronoUnit.MINUTES);
        setTime("startsAt", now);
        setTime("endsAt", now.plusDays(1));
        browser.find("save").click();
        browser.waitForText("problem", "自分のメールボックス");
        browser.screenshot("self-service-denied");

        Api.as(suzuki).get("/api/v1/me/autoreply").then().statusCode(200).body("autoreply.subject", equalTo("鈴木の不在"));
        // The staff pages stay closed to an employee.
        assertEquals(403, statusOf("/directory"));
    }
}
