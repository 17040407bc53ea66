package com.mailgov.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Debian's headless Chromium driven through its own chromedriver: both paths are given, so
 * Selenium Manager never looks for (or downloads) a driver.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("mailgov.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("mailgov.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final WebDriver driver;
    private final String base;

    Browser(URL base) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1100", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        // A click that submits a form returns before the next page is there: let lookups wait for it.
        this.driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    static boolean available() {
        return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    }

    void open(String path) {
        driver.get(base + path);
    }

    void login(String username, String password) {
        open("/login");
        type("j_username", username);
        type("j_password", password);
        find("login-submit").click();
        waitUntil(d -> !d.getCurrentUrl().contains("/login"));
    }

    void logout() {
        driver.findElement(By.cssSelector("form[action='/logout'] button")).click();
        waitUntil(d -> d.getCurrentUrl().contains("/login"));
    }

    WebElement find(String id) {
        return driver.findElement(By.id(id));
    }

    WebElement css(String selector) {
        return driver.findElement(By.cssSelector(selector));
    }

    java.util.List<WebElement> all(String selector) {
        return driver.findElements(By.cssSelector(selector));
    }

    void type(String id, String text) {
        WebElement e = find(id);
        e.clear();
        e.sendKeys(text);
    }

    void select(String id, String value) {
        new org.openqa.selenium.support.ui.Select(find(id)).selectByValue(value);
    }

    String text(String id) {
        return find(id).getText();
    }

    void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(condition::apply);
    }

    void waitForText(String id, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    }

    /** Saves the whole page as it looks now as target/screenshots/{name}.png. */
    void screenshot(String name) {
        Dimension viewport = driver.manage().window().getSize();
        try {
            Files.createDirectories(SCREENSHOTS);
            // Headless Chromium captures the window: make it as tall as the page for a moment.
            Number height = (Number) ((JavascriptExecutor) driver).executeScript(
                    "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            driver.manage().window().setSize(new Dimension(viewport.getWidth(), Math.min(6000, height.intValue() + 120)));
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(viewport);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
