package com.mailgov.ui;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** One headless Chromium per test class against the running service; each test starts logged out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestBase {

    @TestHTTPResource("/")
    URL base;

    Browser browser;

    @BeforeAll
    void startBrowser() {
        assumeTrue(Browser.available(), "Chromium and chromedriver are needed: apt-get install chromium chromium-driver");
        browser = new Browser(base);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void loggedOut() {
        browser.driver.manage().deleteAllCookies();
    }
}
