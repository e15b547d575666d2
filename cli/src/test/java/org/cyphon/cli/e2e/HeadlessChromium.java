package org.cyphon.cli.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through Debian's chromium-driver (both named by path, so
 * Selenium never looks for or downloads a browser or a driver). Background networking is off: the
 * browser talks to the coordinator on loopback and nothing else.
 */
final class HeadlessChromium implements AutoCloseable {
    static final String BROWSER = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    final ChromeDriver driver;

    HeadlessChromium(Path profileDir, Path driverLog) {
        if (!Files.isExecutable(Path.of(BROWSER)) || !Files.isExecutable(Path.of(DRIVER)))
            throw new IllegalStateException("install Debian's chromium and chromium-driver (.ci/run does)");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(BROWSER);
        o.addArguments(
                "--headless=new",
                "--no-sandbox", // tests run as root, where chromium's own sandbox refuses to start
                "--disable-dev-shm-usage",
                "--window-size=1366,900",
                "--user-data-dir=" + profileDir,
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--metrics-recording-only",
                "--password-store=basic");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Saves the whole page, not only the window's part of it, as a PNG. */
    void screenshot(Path png) throws java.io.IOException {
        Files.createDirectories(png.getParent());
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> shot = driver.executeCdpCommand(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of(
                                "x",
                                0,
                                "y",
                                0,
                                "width",
                                ((Number) size.get("width")).doubleValue(),
                                "height",
                                ((Number) size.get("height")).doubleValue(),
                                "scale",
                                1)));
        Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
