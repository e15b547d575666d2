package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cyphon.agent.sensors.XvfbDisplay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard end to end, in a real browser (headless chromium through chromium-driver)
 * against a real coordinator and real agents: sign-in, the pool page following a desk's owner
 * (xdotool on a real Xvfb display) from away to present, a job submitted from the form whose output
 * arrives live and which is then cancelled, a user refused an admin action, an admin's drain; and
 * the attacks: a cross-origin form and fetch, a missing CSRF token, no cookie, inline script.
 *
 * <p>{@code -Dcyphon.dashboard.screenshots=DIR} saves each page as a PNG there (the README's come
 * from {@code docs/}); without it they go to {@code target/dashboard}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path tmp;
    private TestPool pool;
    private XvfbDisplay display;
    private HeadlessChromium chromium;
    private String alice;
    private Path shots;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("dashboard-it");
        String dir = System.getProperty("cyphon.dashboard.screenshots");
        shots = dir == null ? Path.of("target", "dashboard") : Path.of(dir);
        display = XvfbDisplay.start(tmp);
        pool = new TestPool(tmp.resolve("pool"));
        pool.startCoordinator();
        // The desk: its owner is whoever moves the mouse on the Xvfb display.
        pool.startAgent("desk", 1, """
                [sensors]
                sample_every = "200ms"
                [policy]
                preset = "desktop"
                start_after_idle = "0s"
                present_within = "3s"
                """);
        // Where the jobs run, whatever the owner at the desk does.
        pool.startAgent("worker", 2, """
                [policy]
                preset = "dedicated"
                [labels]
                role = "worker"
                """);
        var created = pool.cli("token", "create", "alice");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        alice = created.stdout().trim();
        chromium = new HeadlessChromium(tmp.resolve("chromium-profile"), tmp.resolve("chromedriver.log"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (chromium != null) chromium.close();
        } finally {
            try {
                if (pool != null) pool.close();
            } finally {
                if (display != null) display.close();
            }
        }
    }

    @Test
    @Order(1)
    void withoutTheCookieEveryPageSendsToSignInAndTheApiSays401() throws Exception {
        for (String page : List.of("/dashboard/pool", "/dashboard/jobs", "/dashboard/machine?name=desk")) {
            HttpResponse<String> r = get(page, Map.of());
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(page).hasValue("/dashboard/signin");
        }
        assertThat(get("/dashboard/session", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/machines", Map.of()).statusCode()).isEqualTo(401);

        // In the browser: the pool page lands on the sign-in form.
        chromium.driver.get(pool.url + "/dashboard/pool");
        await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().endsWith("/dashboard/signin"));
        assertThat(chromium.driver.findElement(By.id("token")).getAttribute("type"))
                .isEqualTo("password");
    }

    @Test
    @Order(2)
    void everyPageCarriesAStrictContentSecurityPolicyAndInlineScriptDoesNotRun() throws Exception {
        for (String page : List.of("/dashboard/signin", "/dashboard/assets/pool.js", "/dashboard/pool")) {
            HttpResponse<String> r = get(page, Map.of());
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(page).contains("script-src 'self'", "default-src 'none'", "frame-ancestors 'none'");
            assertThat(csp).as(page).doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
        // The browser enforces it: an inline script put into the page does not run.
        chromium.driver.get(pool.url + "/dashboard/signin");
        chromium.driver.executeScript("const s = document.createElement('script');"
                + "s.textContent = 'window.injected = true;'; document.body.append(s);");
        assertThat(chromium.driver.executeScript("return window.injected === true;"))
                .isEqualTo(false);
    }

    @Test
    @Order(3)
    void aWrongTokenIsRefusedAndTheRightOneSignsInWithACookieScriptsCannotRead() {
        signIn("not-a-token");
        await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().contains("/dashboard/signin?failed=1"));
        assertThat(chromium.driver.findElement(By.id("failed")).isDisplayed()).isTrue();

        signIn(alice);
        await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().endsWith("/dashboard/pool"));
        Cookie c = chromium.driver.manage().getCookieNamed("cyphon_session");
        assertThat(c).isNotNull();
        assertThat(c.isHttpOnly()).isTrue();
        assertThat(c.isSecure()).isTrue();
        assertThat(c.getSameSite()).isEqualTo("Strict");
        assertThat(chromium.driver.executeScript("return document.cookie;"))
                .asString()
                .doesNotContain(alice);
        assertThat(chromium.driver.executeScript(
                        "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage);"))
                .asString()
                .doesNotContain(alice);
        assertThat(chromium.driver.getCurrentUrl()).doesNotContain(alice);
        await().atMost(WAIT).until(() -> text(By.id("who")).equals("alice"));
    }

    @Test
    @Order(4)
    void thePoolPageShowsTheDesksOwnerComeBackWhenTheMouseMoves() throws Exception {
        chromium.driver.get(pool.url + "/dashboard/pool");
        By owner = By.cssSelector("#machine-rows tr:nth-child(1) td:nth-child(3)");
        await().atMost(WAIT)
                .until(() ->
                        text(By.cssSelector("#machine-rows tr:nth-child(1) th")).equals("desk"));
        await().atMost(WAIT).until(() -> text(owner).startsWith("away"));
        assertThat(text(By.cssSelector("#machine-rows tr:nth-child(2) th"))).isEqualTo("worker");
        // Its labels come with its first heartbeat, which a loaded machine may not have sent yet.
        await().atMost(WAIT)
                .until(() -> text(By.cssSelector("#machine-rows tr:nth-child(2) td:nth-child(9)"))
                        .contains("role=worker"));

        // The owner comes back and stays: the mouse keeps moving on the desk's display (one move
        // would make them present for present_within only, which a loaded machine may not show).
        int[] x = {200};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            x[0] = x[0] == 200 ? 300 : 200;
            display.client("xdotool", "mousemove", Integer.toString(x[0]), "250");
            return text(owner).startsWith("present for ");
        });

        // Filters: by text (name, owner, labels), then by the owner's presence.
        WebElement search = chromium.driver.findElement(By.id("f-text"));
        search.sendKeys("role=work");
        await().atMost(WAIT)
                .until(() -> !chromium.driver
                        .findElement(By.cssSelector("#machine-rows tr:nth-child(1)"))
                        .isDisplayed());
        assertThat(text(By.id("summary"))).startsWith("1 of 2 machines shown");
        search.clear();
        search.sendKeys(" ");
        search.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
        await().atMost(WAIT).until(() -> text(By.id("summary")).startsWith("2 of 2"));
        new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.id("f-owner")))
                .selectByValue("present");
        await().atMost(WAIT)
                .until(() -> chromium.driver
                        .findElement(By.cssSelector("#machine-rows tr:nth-child(1)"))
                        .isDisplayed());
        new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.id("f-owner"))).selectByValue("");
        await().atMost(WAIT).until(() -> text(By.id("summary")).startsWith("2 of 2"));
        chromium.screenshot(shots.resolve("dashboard-pool.png"));
    }

    @Test
    @Order(5)
    void aJobSubmittedFromTheFormShowsItsOutputLiveAndIsCancelled() throws Exception {
        chromium.driver.get(pool.url + "/dashboard/jobs");
        await().atMost(WAIT).until(() -> text(By.id("who")).equals("alice"));
        chromium.driver
                .findElement(By.id("s-command"))
                .sendKeys("sh -c 'echo hello from the dashboard; sleep 1; echo second line; sleep 600'");
        chromium.driver.findElement(By.id("s-name")).sendKeys("from-the-form");
        WebElement cpus = chromium.driver.findElement(By.id("s-cpus"));
        cpus.clear();
        cpus.sendKeys("0.5");
        chromium.driver.findElement(By.id("s-requires")).sendKeys("role=worker");
        chromium.driver.findElement(By.id("s-go")).click();
        await().atMost(WAIT).until(() -> text(By.id("status")).startsWith("Submitted job "));
        String id = text(By.id("status")).replaceAll("\\D+", "");
        assertThat(pool.get("/jobs/" + id).path("owner").asText()).isEqualTo("alice");
        assertThat(pool.get("/jobs/" + id).path("name").asText()).isEqualTo("from-the-form");

        // Its output arrives while it runs (followed), and its attempt shows its machine and fencing token.
        await().atMost(WAIT).until(() -> text(By.id("log")).contains("hello from the dashboard\nsecond line"));
        assertThat(pool.get("/jobs/" + id).path("state").asText()).isEqualTo("running");
        await().atMost(WAIT)
                .until(() -> text(By.cssSelector("#attempt-rows tr:nth-child(1) td:nth-child(2)"))
                        .equals("worker"));
        assertThat(text(By.cssSelector("#attempt-rows tr:nth-child(1) td:nth-child(3)")))
                .matches("\\d+");
        chromium.screenshot(shots.resolve("dashboard-jobs.png"));

        // Cancel it with the multi-select.
        By box = By.cssSelector("#job-rows tr[data-job='" + id + "'] input[type=checkbox]");
        await().atMost(WAIT).until(() -> !chromium.driver.findElements(box).isEmpty());
        chromium.driver.findElement(box).click();
        chromium.driver.findElement(By.id("a-cancel")).click();
        await().atMost(WAIT).until(() -> text(By.id("status")).startsWith("cancel: 1 of 1 jobs"));
        await().atMost(WAIT)
                .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("cancelled"));
        await().atMost(WAIT)
                .until(() -> text(By.cssSelector("#job-rows tr[data-job='" + id + "'] td:nth-child(5)"))
                        .equals("cancelled"));
    }

    @Test
    @Order(6)
    void aUserIsRefusedAnAdminActionAndSeesNoAdminControls() throws Exception {
        chromium.driver.get(pool.url + "/dashboard/machine?name=desk");
        await().atMost(WAIT).until(() -> text(By.id("title")).equals("Machine desk"));
        assertThat(chromium.driver.findElement(By.id("admin-h")).isDisplayed()).isFalse();
        // Asked anyway, from the signed-in page with its CSRF token, the API refuses it.
        Object status = chromium.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/dashboard/session').then(r => r.json()).then(s =>
                  fetch('/api/v1/machines/desk/drain', {method: 'POST', headers: {'X-Cyphon-CSRF': s.csrf}}))
                  .then(r => r.text().then(t => done(r.status + ' ' + t)));
                """);
        assertThat(status).asString().startsWith("403 ").contains("needs an admin token");
        assertThat(pool.get("/machines/desk").path("drained").asBoolean()).isFalse();
    }

    @Test
    @Order(7)
    void aFormOrFetchFromAnotherOriginChangesNothing() throws Exception {
        String id = submitAsAlice();
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String target = pool.url + "/api/v1/jobs/" + id + "/cancel";
        evil.createContext("/", ex -> {
            byte[] page = """
                    <!doctype html><html><body>
                    <form id="f" method="post" action="%s"><input name="x" value="1"></form>
                    <script>
                    fetch('%s', {method: 'POST', mode: 'no-cors', credentials: 'include'})
                      .finally(() => document.getElementById('f').submit());
                    </script></body></html>
                    """.formatted(target, target).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        evil.start();
        try {
            // Another port of the same address: the same site, so the browser does send the cookie;
            // the Origin check refuses it.
            chromium.driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().equals(target));
            assertThat(chromium.driver.findElement(By.tagName("body")).getText())
                    .contains("cross-origin request refused");
            // Another site (localhost is not 127.0.0.1): the cookie is not even sent.
            chromium.driver.get("http://localhost:" + evil.getAddress().getPort() + "/");
            await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().equals(target));
            assertThat(chromium.driver.findElement(By.tagName("body")).getText())
                    .contains("missing token");
        } finally {
            evil.stop(0);
        }
        assertThat(pool.get("/jobs/" + id).path("state").asText()).isIn("queued", "running");

        // The same requests by hand, with the cookie: a foreign Origin, or no CSRF token, is refused.
        String cookie = "cyphon_session=" + alice;
        assertThat(post("/api/v1/jobs/" + id + "/cancel", Map.of("Cookie", cookie, "Origin", "http://evil.example"))
                        .body())
                .contains("cross-origin request refused");
        HttpResponse<String> noCsrf =
                post("/api/v1/jobs/" + id + "/cancel", Map.of("Cookie", cookie, "Origin", pool.url));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("X-Cyphon-CSRF");
        assertThat(pool.get("/jobs/" + id).path("state").asText()).isIn("queued", "running");
        // ... and with both, it is the API's own call.
        String csrf = TestPool.JSON
                .readTree(get("/dashboard/session", Map.of("Cookie", cookie)).body())
                .path("csrf")
                .asText();
        HttpResponse<String> ok = post(
                "/api/v1/jobs/" + id + "/cancel", Map.of("Cookie", cookie, "Origin", pool.url, "X-Cyphon-CSRF", csrf));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(pool.get("/jobs/" + id).path("state").asText()).isEqualTo("cancelled");
    }

    @Test
    @Order(8)
    void theTokenNeverAppearsInAnyUrlTheBrowserRequested() {
        chromium.driver.get(pool.url + "/dashboard/jobs");
        await().atMost(WAIT).until(() -> text(By.id("who")).equals("alice"));
        Object urls = chromium.driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]).join('\\n');");
        assertThat(urls).asString().contains("/api/v1/jobs").doesNotContain(alice);
    }

    @Test
    @Order(9)
    void anAdminDrainsTheDeskAfterConfirmingAndSeesItsWeek() throws Exception {
        chromium.driver.findElement(By.cssSelector("form.signout button")).click();
        await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().endsWith("/dashboard/signin"));
        assertThat(chromium.driver.manage().getCookieNamed("cyphon_session")).isNull();
        signIn(pool.adminToken());
        await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().endsWith("/dashboard/pool"));
        // Overload mode shows as a banner with its end, and goes when it is switched off.
        var on = pool.cli("overload", "on", "--until", "1h", "--reason", "quarterly deadline");
        assertThat(on.exitCode()).as(on.toString()).isZero();
        await().atMost(WAIT).until(() -> text(By.id("overload")).startsWith("Overload mode is on until"));
        assertThat(text(By.id("overload"))).contains("quarterly deadline");
        assertThat(pool.cli("overload", "off").exitCode()).isZero();
        await().atMost(WAIT)
                .until(() -> !chromium.driver.findElement(By.id("overload")).isDisplayed());
        chromium.driver.get(pool.url + "/dashboard/machine?name=desk");
        await().atMost(WAIT).until(() -> text(By.id("drain")).equals("Drain"));
        assertThat(chromium.driver.findElements(By.cssSelector("#heatmap svg rect")))
                .hasSize(168);
        chromium.driver.findElement(By.id("drain")).click();
        Alert confirm = new WebDriverWait(chromium.driver, WAIT).until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("Drain desk?");
        confirm.accept();
        await().atMost(WAIT)
                .until(() -> pool.get("/machines/desk").path("drained").asBoolean());
        await().atMost(WAIT).until(() -> text(By.id("drain")).equals("Undrain"));
        chromium.screenshot(shots.resolve("dashboard-machine.png"));
        chromium.driver.findElement(By.id("drain")).click();
        await().atMost(WAIT)
                .until(() -> !pool.get("/machines/desk").path("drained").asBoolean());

        chromium.driver.get(pool.url + "/dashboard/harvest");
        await().atMost(WAIT)
                .until(() -> !chromium.driver
                        .findElements(By.cssSelector("#share-rows tr"))
                        .isEmpty());
        assertThat(text(By.id("share-rows"))).contains("alice");
        chromium.screenshot(shots.resolve("dashboard-harvest.png"));
    }

    @Test
    @Order(10)
    void anAdminComparesPresetsOnTheSimulatePage() throws Exception {
        chromium.driver.get(pool.url + "/dashboard/simulate");
        await().atMost(WAIT)
                .until(() -> chromium.driver
                                .findElements(By.cssSelector("#m-jobs option"))
                                .size()
                        == 1);
        // A trace that is not SWF, uploaded from the page: refused, naming the line; nothing kept.
        Path bad = Files.writeString(tmp.resolve("broken.swf"), "1 0 10 3600 4 -1 -1 4\n");
        chromium.driver
                .findElement(By.id("u-file"))
                .sendKeys(bad.toAbsolutePath().toString());
        chromium.driver.findElement(By.id("u-go")).click();
        await().atMost(WAIT).until(() -> text(By.id("status")).startsWith("Not uploaded:"));
        assertThat(text(By.id("status")))
                .isEqualTo("Not uploaded: broken.swf is not a readable SWF job trace: line 1:"
                        + " an SWF job line has 18 fields, this one 8");
        assertThat(pool.data.resolve("traces").resolve("broken.swf")).doesNotExist();
        // A job trace uploaded from the page: an excerpt of KTH's SP2 (the sim module's), picked at once.
        Path kth = Path.of("..", "sim", "src", "test", "resources", "kth-excerpt.swf")
                .toAbsolutePath()
                .normalize();
        chromium.driver.findElement(By.id("u-file")).clear();
        chromium.driver.findElement(By.id("u-file")).sendKeys(kth.toString());
        chromium.driver.findElement(By.id("u-go")).click();
        await().atMost(WAIT).until(() -> text(By.id("status")).startsWith("Uploaded kth-excerpt.swf: "));
        assertThat(pool.data.resolve("traces").resolve("kth-excerpt.swf")).hasSameBinaryContentAs(kth);
        assertThat(new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.id("m-jobs")))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("kth-excerpt.swf");
        WebElement desks = chromium.driver.findElement(By.id("m-machines"));
        desks.clear();
        desks.sendKeys("10");
        WebElement days = chromium.driver.findElement(By.id("m-days"));
        days.clear();
        days.sendKeys("2");
        chromium.driver.findElement(By.id("m-go")).click();
        await().atMost(Duration.ofMinutes(5)).until(() -> text(By.id("status")).startsWith("Simulated in"));
        assertThat(text(By.id("table"))).contains("desktop", "htcondor-desktop");
        chromium.driver.switchTo().frame("report");
        await().atMost(WAIT)
                .until(() -> !chromium.driver.findElements(By.tagName("svg")).isEmpty());
        chromium.driver.switchTo().defaultContent();
        chromium.screenshot(shots.resolve("dashboard-simulate.png"));
    }

    @Test
    @Order(11)
    void everyPageHasNoSeriousOrCriticalAccessibilityViolations() throws Exception {
        // As the admin (test 9 signed in so): every control an admin sees is on the pages.
        String job = pool.get("/jobs?limit=1").path("jobs").get(0).path("id").asText();
        List<String> found = new java.util.ArrayList<>();
        for (String page : List.of(
                "/dashboard/pool",
                "/dashboard/jobs",
                "/dashboard/jobs?job=" + job,
                "/dashboard/machine?name=desk",
                "/dashboard/harvest",
                "/dashboard/simulate")) {
            chromium.driver.get(pool.url + page);
            await().atMost(WAIT).until(() -> !text(By.id("who")).isEmpty());
            // The page's first data has arrived (its live parts drawn once).
            await().atMost(WAIT)
                    .until(() -> chromium.driver
                            .executeScript("return document.readyState === 'complete';")
                            .equals(true));
            found.addAll(axe(page));
        }
        chromium.driver.findElement(By.cssSelector("form.signout button")).click();
        await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().endsWith("/dashboard/signin"));
        found.addAll(axe("/dashboard/signin"));
        assertThat(found).as("axe-core's serious and critical violations").isEmpty();
    }

    /**
     * Runs axe-core (the webjar's script, put into the page by the driver, which the page's CSP
     * does not govern) on the page shown, and lists its serious and critical violations.
     */
    private List<String> axe(String page) throws Exception {
        if (axeScript == null) {
            try (var in = DashboardIT.class.getResourceAsStream(
                    "/META-INF/resources/webjars/axe-core/" + AXE_VERSION + "/axe.min.js")) {
                assertThat(in).as("axe-core's webjar on the test classpath").isNotNull();
                axeScript = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        chromium.driver.executeScript(axeScript);
        Object out = chromium.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at '
                        + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))));
                """);
        List<String> found = new java.util.ArrayList<>();
        if (out instanceof List<?> l) for (Object v : l) found.add(page + ": " + v);
        return found;
    }

    private static final String AXE_VERSION = "4.6.3";
    private String axeScript;

    private String submitAsAlice() throws Exception {
        var r = pool.cliWith(
                Map.of("CYPHON_TOKEN", alice),
                "submit",
                "--cpus",
                "0.5",
                "--require",
                "role=worker",
                "--",
                "sleep",
                "600");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout().trim();
    }

    private void signIn(String token) {
        chromium.driver.get(pool.url + "/dashboard/signin");
        WebElement field = chromium.driver.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        field.submit();
    }

    private String text(By by) {
        List<WebElement> found = chromium.driver.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(pool.url + path)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(pool.url + path)).POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
