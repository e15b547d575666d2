package org.cyphon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code bench/run dashboard-jobs}: the jobs page over a queue of {@code --jobs} jobs (default
 * 1,000,000), first page and deep pages. The jobs are submitted over real HTTP in batches of
 * 100,000 ({@code POST /jobs} with {@code count}, as {@code cyphon submit -n} does) to an in-process
 * coordinator on H2; then (a) the API's listing of a page of 50 ({@code GET /jobs?limit=50}, and
 * {@code &before=ID} for the middle and the last page, and the last page of one state), timed
 * over HTTP; (b) the page in headless chromium, from the navigation's start to the page's rows
 * in the DOM (its {@code jobs-rendered} mark), for {@code /dashboard/jobs} and
 * {@code /dashboard/jobs?before=ID}.
 */
public final class DashboardJobsBenchmark {
    private static final int PAGE = 50;
    private static final int BATCH = 100_000;

    private DashboardJobsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = 1_000_000;
        int rounds = 5;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                case "--help" -> {
                    System.out.println("bench/run dashboard-jobs [--jobs N (1000000)] [--rounds R (5)] [--keep]");
                    return;
                }
                default -> {
                    System.err.println("bench/run dashboard-jobs: unknown option " + args[i] + " (--help lists them)");
                    System.exit(2);
                }
            }
        }
        LogToFile.redirectLogback();
        System.out.println("load before: " + MachineLoad.now());
        try (ScratchDir dir = ScratchDir.create("dashboard-jobs", keep)) {
            LogToFile.setFile(dir.resolve("coordinator.log"));
            try (InProcessCoordinator c = InProcessCoordinator.start(dir.resolve("coordinator"))) {
                ApiClient admin = new ApiClient(ApiClient.newHttpClient(), c.url(), c.adminToken());
                long t0 = System.nanoTime();
                for (int done = 0; done < jobs; done += BATCH) {
                    int n = Math.min(BATCH, jobs - done);
                    admin.post(
                            "/jobs", Map.of("name", "bench", "command", List.of("true"), "count", n), JsonNode.class);
                }
                System.out.printf("%,d jobs submitted in %.1f s%n", jobs, (System.nanoTime() - t0) / 1e9);
                Map<String, String> pages = new LinkedHashMap<>();
                pages.put("first page", "");
                pages.put("middle page", "before=" + (jobs / 2 + 1));
                pages.put("last page", "before=" + (PAGE + 1));
                api(admin, pages, rounds);
                browser(c, pages, rounds, dir.path());
            }
        }
        System.out.println("load after: " + MachineLoad.now());
        System.exit(0);
    }

    private static void api(ApiClient admin, Map<String, String> pages, int rounds) throws Exception {
        Map<String, String> asked = new LinkedHashMap<>();
        pages.forEach((k, v) -> asked.put(k, "/jobs?limit=" + PAGE + (v.isEmpty() ? "" : "&" + v)));
        asked.put("last page, state=queued", "/jobs?limit=" + PAGE + "&state=queued&before=" + (PAGE + 1));
        asked.put("last page, name=bench", "/jobs?limit=" + PAGE + "&name=bench&before=" + (PAGE + 1));
        for (var e : asked.entrySet()) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i <= rounds * 4; i++) {
                long t = System.nanoTime();
                JsonNode list = admin.get(e.getValue(), JsonNode.class);
                double took = (System.nanoTime() - t) / 1e6;
                if (list.path("jobs").size() != PAGE)
                    throw new IllegalStateException(
                            e.getValue() + " listed " + list.path("jobs").size() + " jobs");
                if (i > 0) ms.add(took); // the first: a warm-up
            }
            System.out.printf(
                    "api %s (GET %s): %.1f ms median of %d, max %.1f ms%n",
                    e.getKey(),
                    e.getValue(),
                    median(ms),
                    ms.size(),
                    ms.stream().mapToDouble(d -> d).max().orElse(0));
        }
    }

    private static void browser(InProcessCoordinator c, Map<String, String> pages, int rounds, Path dir)
            throws Exception {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1366,900",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, o);
        try {
            driver.get(c.url() + "/dashboard/signin");
            WebElement token = driver.findElement(By.id("token"));
            token.sendKeys(c.adminToken());
            token.submit();
            new WebDriverWait(driver, Duration.ofSeconds(60))
                    .until(d -> d.getCurrentUrl().endsWith("/dashboard/pool"));
            for (var e : pages.entrySet()) {
                List<Double> ms = new ArrayList<>();
                String url = c.url() + "/dashboard/jobs" + (e.getValue().isEmpty() ? "" : "?" + e.getValue());
                for (int round = 0; round <= rounds; round++) {
                    driver.get(url);
                    new WebDriverWait(driver, Duration.ofMinutes(2))
                            .until(d -> Integer.toString(PAGE)
                                    .equals(((JavascriptExecutor) d)
                                            .executeScript("return document.body.dataset.rendered;")));
                    double at = ((Number) driver.executeScript(
                                    "return performance.getEntriesByName('jobs-rendered')[0].startTime;"))
                            .doubleValue();
                    if (round > 0) ms.add(at); // round 0: a warm-up
                }
                System.out.printf(
                        "dashboard-jobs: %s (%s): rows in %.0f ms after navigation (median of %d: %s)%n",
                        e.getKey(),
                        url.substring(c.url().length()),
                        median(ms),
                        ms.size(),
                        ms.stream().map(v -> String.format("%.0f", v)).toList());
            }
        } finally {
            driver.quit();
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }
}
