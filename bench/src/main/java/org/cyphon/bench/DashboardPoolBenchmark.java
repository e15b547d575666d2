package org.cyphon.bench;

import java.io.File;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code bench/run dashboard}: how long the dashboard's pool page takes to show a pool of
 * {@code --machines} desks (default 10,000) in headless chromium, from the navigation's start to
 * the whole table in the DOM (the page's {@code pool-rendered} mark: HTML, modules, the session,
 * {@code GET /machines} and the table), and what each 2-second redraw costs the page's script.
 *
 * <p>The machines enroll over real HTTP with the pool's enroll token and send one heartbeat each,
 * with a desk view (half present, half away) and labels, so every column has something to show.
 */
public final class DashboardPoolBenchmark {
    private DashboardPoolBenchmark() {}

    public static void main(String[] args) throws Exception {
        int machines = 10_000;
        int rounds = 5;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--machines" -> machines = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                case "--help" -> {
                    System.out.println("bench/run dashboard [--machines N (10000)] [--rounds R (5)] [--keep]");
                    return;
                }
                default -> {
                    System.err.println("bench/run dashboard: unknown option " + args[i] + " (--help lists them)");
                    System.exit(2);
                }
            }
        }
        LogToFile.redirectLogback();
        System.out.println("load before: " + MachineLoad.now());
        try (ScratchDir dir = ScratchDir.create("dashboard", keep)) {
            LogToFile.setFile(dir.resolve("coordinator.log"));
            try (InProcessCoordinator c = InProcessCoordinator.start(dir.resolve("coordinator"))) {
                long t0 = System.nanoTime();
                enroll(c, machines);
                System.out.printf(
                        "%,d machines enrolled and heard from in %.1f s%n", machines, (System.nanoTime() - t0) / 1e9);
                measure(c, machines, rounds, dir.path());
            }
        }
        System.out.println("load after: " + MachineLoad.now());
        System.exit(0);
    }

    private static void enroll(InProcessCoordinator c, int machines) throws Exception {
        HttpClient http = ApiClient.newHttpClient();
        ApiClient enrollment = new ApiClient(http, c.url(), c.enrollToken());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < machines; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    String name = String.format("desk-%05d", n);
                    EnrollReply r = enrollment.post(
                            "/agents/enroll",
                            new EnrollRequest(name, 4, 16L << 30, "cgroup-v2", null, "bench"),
                            EnrollReply.class);
                    boolean present = n % 2 == 0;
                    DeskView desk = new DeskView(
                            present ? "present" : "away",
                            present ? 0 : 60L * (n % 600),
                            false,
                            !present,
                            "desktop",
                            List.of(present ? "the owner is present" : "the owner has been away"),
                            List.of());
                    enrollment
                            .as(r.agentToken())
                            .post(
                                    "/agents/" + r.machine() + "/heartbeat",
                                    new Heartbeat(
                                            4,
                                            16L << 30,
                                            "cgroup-v2",
                                            null,
                                            List.of(),
                                            "unavailable: bench",
                                            desk,
                                            null,
                                            Map.of("room", "r" + n % 40, "os", "linux")),
                                    HeartbeatReply.class);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void measure(InProcessCoordinator c, int machines, int rounds, Path dir) throws Exception {
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
            List<Double> firstRenders = new ArrayList<>();
            List<Double> scripts = new ArrayList<>();
            List<Double> redraws = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                driver.get(c.url() + "/dashboard/pool");
                String want = Integer.toString(machines);
                new WebDriverWait(driver, Duration.ofMinutes(2))
                        .until(d -> want.equals(
                                ((JavascriptExecutor) d).executeScript("return document.body.dataset.rendered;")));
                // Two redraws of the live update, 2 s apart.
                new WebDriverWait(driver, Duration.ofSeconds(60))
                        .until(d -> ((Number) ((JavascriptExecutor) d)
                                                .executeScript(
                                                        "return performance.getEntriesByName('pool-render').length;"))
                                        .intValue()
                                >= 3);
                @SuppressWarnings("unchecked")
                List<Number> t = (List<Number>)
                        driver.executeScript("return [performance.getEntriesByName('pool-rendered')[0].startTime]"
                                + ".concat(performance.getEntriesByName('pool-render').map(e => e.duration));");
                if (round == 0) continue; // a warm-up: the browser's caches and the coordinator's JIT
                firstRenders.add(t.get(0).doubleValue());
                scripts.add(t.get(1).doubleValue());
                for (int i = 2; i < t.size(); i++) redraws.add(t.get(i).doubleValue());
                System.out.printf(
                        "round %d: table of %,d rows stood %.0f ms after navigation (first render %.0f ms of script);"
                                + " redraws %s ms%n",
                        round, machines, t.get(0).doubleValue(), t.get(1).doubleValue(), t.subList(2, t.size()));
            }
            System.out.printf(
                    "dashboard: pool page with %,d machines: table in %.0f ms (median of %d: %s); first render's script %.0f ms;"
                            + " live redraw %.0f ms median%n",
                    machines,
                    median(firstRenders),
                    firstRenders.size(),
                    firstRenders.stream().map(v -> String.format("%.0f", v)).toList(),
                    median(scripts),
                    median(redraws));
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
