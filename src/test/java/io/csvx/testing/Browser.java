package io.csvx.testing;

import java.io.File;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/// Debian's Chromium, headless, driven by its ChromeDriver (`apt-get install chromium
/// chromium-driver`). Without them a browser test is skipped with one line on standard error;
/// `CSVX_TEST_REQUIRE_BROWSER=1` (set by `.ci/run`) makes their absence a failure. Both paths are
/// given, so Selenium never looks for (or downloads) a driver of its own.
public final class Browser {
    public static final String CHROMIUM = System.getenv().getOrDefault("CSVX_TEST_CHROMIUM", "/usr/bin/chromium");
    public static final String DRIVER = System.getenv().getOrDefault("CSVX_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");

    private Browser() {
    }

    /// A fresh headless browser of `width` x `height`, or the test is skipped (see above).
    public static WebDriver open(int width, int height) {
        if (!new File(CHROMIUM).canExecute() || !new File(DRIVER).canExecute()) {
            String problem = "no browser at " + CHROMIUM + " with a driver at " + DRIVER;
            if ("1".equals(System.getenv("CSVX_TEST_REQUIRE_BROWSER"))) {
                throw new IllegalStateException("a browser is required (CSVX_TEST_REQUIRE_BROWSER=1): " + problem);
            }
            System.err.println("SKIPPED: browser tests; " + problem
                    + ". Install them with apt-get install chromium chromium-driver (docs/testing.md).");
            Assumptions.abort(problem);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                // the network rule: nothing but loopback, so none of the browser's own calls home
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-pings",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        return driver;
    }
}
