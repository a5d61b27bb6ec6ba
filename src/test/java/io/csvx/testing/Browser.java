package io.csvx.testing;

import java.io.File;
import java.time.Duration;
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
            Required.missing("CSVX_TEST_REQUIRE_BROWSER", "browser tests",
                    "no browser at " + CHROMIUM + " with a driver at " + DRIVER,
                    ". Install them with apt-get install chromium chromium-driver (docs/testing.md).");
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

    /// The script behind [#lowContrast]: every element with text of its own that is shown, its
    /// text colour against the first opaque background up its ancestors (white at the root),
    /// as WCAG 2 measures contrast. Text of disabled controls is exempt, as WCAG says.
    private static final String CONTRAST = """
            function rgb(c) { var m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
              var p = m[1].split(',').map(parseFloat); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; }
            function lum(c) { function ch(v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
              return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b); }
            function background(el) { for (var e = el; e; e = e.parentElement) {
                var b = rgb(getComputedStyle(e).backgroundColor); if (b && b.a > 0.5) return b; }
              return {r: 255, g: 255, b: 255, a: 1}; }
            var low = [];
            document.querySelectorAll('body *').forEach(function (el) {
              var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
              if (!own || el.disabled || el.closest('[hidden]') || el.getClientRects().length === 0) return;
              var style = getComputedStyle(el);
              if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) return;
              var f = rgb(style.color), b = background(el), l1 = lum(f), l2 = lum(b);
              var ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
              if (ratio < 4.5) low.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '" '
                  + style.color + ' on ' + JSON.stringify(b) + ': ' + ratio.toFixed(2));
            });
            return low;""";

    /// The texts of the page whose contrast with their background is under 4.5:1 (WCAG 2 AA).
    @SuppressWarnings("unchecked")
    public static java.util.List<String> lowContrast(WebDriver browser) {
        return (java.util.List<String>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(CONTRAST);
    }
}
