package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The machine page's desk VM buttons in a real browser against a real agent with the test guest
 * under QEMU: an administrator starts, pauses (confirming), resumes, saves (confirming) and restores
 * the desk VM, and the desk's state follows each; a pause that is not confirmed changes nothing; a
 * user sees no desk buttons, and the API refuses them the action from the signed-in page.
 */
class DashboardDeskIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration VM_WAIT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void anAdminDrivesTheDeskVmFromTheMachinePageAndAUserIsRefused() throws Exception {
        String desk = "dd-" + UUID.randomUUID().toString().substring(0, 8);
        Path deskState = tmp.resolve("agent-m1").resolve("desk");
        // Outside its desk hours with nobody ever seen: the keeper wants the VM saved, so every
        // state it takes here is the administrator's doing (each action holds it there).
        int from = ZonedDateTime.now(ZoneOffset.UTC).plusHours(6).getHour();
        String hours = "daily %02d:00-%02d:00".formatted(from, (from + 1) % 24);
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator();
            pool.startAgent("m1", 1, """
                    [policy]
                    preset = "dedicated"
                    """ + TestGuestImage.deskSection(tmp, desk, """
                    display = "none"
                    hours = "%s"
                    time_zone = "UTC"
                    """.formatted(hours)));
            var created = pool.cli("token", "create", "alice");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            String alice = created.stdout().trim();
            try (HeadlessChromium chromium =
                    new HeadlessChromium(tmp.resolve("chromium-profile"), tmp.resolve("chromedriver.log"))) {
                await().atMost(WAIT).until(() -> !vm(pool).isEmpty());

                // --- a user: no desk buttons, and the API refuses the action asked from the page ---
                signIn(chromium, pool, alice);
                chromium.driver.get(pool.url + "/dashboard/machine?name=m1");
                await().atMost(WAIT).until(() -> text(chromium, By.id("title")).equals("Machine m1"));
                assertThat(chromium.driver.findElements(By.cssSelector("#desk-actions button")))
                        .isEmpty();
                Object refused = chromium.driver.executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        fetch('/dashboard/session').then(r => r.json()).then(s =>
                          fetch('/api/v1/machines/m1/desk/start', {method: 'POST', headers: {'X-Cyphon-CSRF': s.csrf}}))
                          .then(r => r.text().then(t => done(r.status + ' ' + t)));
                        """);
                assertThat(refused).asString().startsWith("403 ").contains("desk actions need an admin token");
                String before = vm(pool);
                assertThat(before).isNotEqualTo("running");

                // --- the administrator ---
                chromium.driver
                        .findElement(By.cssSelector("form.signout button"))
                        .click();
                await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().endsWith("/dashboard/signin"));
                signIn(chromium, pool, pool.adminToken());
                chromium.driver.get(pool.url + "/dashboard/machine?name=m1");
                await().atMost(WAIT)
                        .until(() -> !chromium.driver
                                .findElements(By.id("desk-start"))
                                .isEmpty());

                click(chromium, "desk-start", null);
                await().atMost(VM_WAIT).until(() -> vm(pool).equals("running"));
                awaitSerial(deskState.resolve("serial.log"), "CYPHON-GUEST READY");
                await().atMost(WAIT).until(() -> text(chromium, By.id("vm")).contains("running"));

                // A pause the administrator does not confirm changes nothing.
                chromium.driver.findElement(By.id("desk-pause")).click();
                Alert no = new WebDriverWait(chromium.driver, WAIT).until(ExpectedConditions.alertIsPresent());
                assertThat(no.getText()).contains("Pause the desk VM of m1?");
                no.dismiss();
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> vm(pool).equals("running"));

                click(chromium, "desk-pause", "Pause the desk VM of m1?");
                await().atMost(VM_WAIT).until(() -> vm(pool).equals("paused"));
                await().atMost(WAIT).until(() -> text(chromium, By.id("vm")).contains("paused"));

                click(chromium, "desk-resume", null);
                await().atMost(VM_WAIT).until(() -> vm(pool).equals("running"));

                click(chromium, "desk-save", "Save the desk VM of m1 to disk");
                await().atMost(VM_WAIT).until(() -> vm(pool).equals("saved"));
                await().atMost(WAIT).until(() -> text(chromium, By.id("vm")).contains("saved"));

                click(chromium, "desk-restore", null);
                await().atMost(VM_WAIT).until(() -> vm(pool).equals("running"));
                await().atMost(WAIT).until(() -> text(chromium, By.id("status")).equals("Desk restore: done."));

                // Every action is in the desk audit log, which the page shows.
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> assertThat(text(chromium, By.id("audit-rows")))
                                .contains("start", "pause", "resume", "save", "restore"));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + pool.logs(), e);
            } finally {
                DeskCommandsIT.GuestSerial.killQemu(deskState);
            }
        }
    }

    /** Clicks a desk button and, when it asks, checks and accepts its confirmation. */
    private static void click(HeadlessChromium chromium, String id, String confirmText) {
        chromium.driver.findElement(By.id(id)).click();
        if (confirmText == null) return;
        Alert confirm = new WebDriverWait(chromium.driver, WAIT).until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains(confirmText);
        confirm.accept();
    }

    private static String vm(TestPool pool) throws Exception {
        return pool.get("/machines/m1").path("vm").path("state").asText();
    }

    private static void signIn(HeadlessChromium chromium, TestPool pool, String token) {
        chromium.driver.get(pool.url + "/dashboard/signin");
        WebElement field = chromium.driver.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        field.submit();
        await().atMost(WAIT).until(() -> chromium.driver.getCurrentUrl().endsWith("/dashboard/pool"));
    }

    private static String text(HeadlessChromium chromium, By by) {
        List<WebElement> found = chromium.driver.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void awaitSerial(Path log, String line) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(log)
                        && Files.readString(log, StandardCharsets.ISO_8859_1).contains(line));
    }
}
