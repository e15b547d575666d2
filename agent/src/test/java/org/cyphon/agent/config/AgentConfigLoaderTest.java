package org.cyphon.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
    @TempDir
    Path tmp;

    private Path file(String toml) throws Exception {
        Path f = tmp.resolve("agent.toml");
        Files.writeString(f, toml);
        return f;
    }

    @Test
    void aFullFileIsRead() throws Exception {
        Path token = tmp.resolve("enroll.token");
        Files.writeString(token, "secret\n");
        AgentConfig c = AgentConfigLoader.load(file("""
                name = "desk-12"
                coordinator = "https://10.0.0.5:7070"
                ca_fingerprint = "sha256:%s"
                enroll_token_file = "%s"
                state_dir = "/var/lib/cyphon/desk-12"
                cpus = 3.5
                memory = "6G"
                [sandbox]
                mode = "cgroup-v1"
                cgroup_parent = "office/cyphon"
                [output]
                upload_every = "500ms"
                """.formatted("ab".repeat(32), token)));
        assertThat(c.name()).isEqualTo("desk-12");
        assertThat(c.coordinator().toString()).isEqualTo("https://10.0.0.5:7070");
        assertThat(c.trust().pin().text()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(c.trust().insecureHttp()).isFalse();
        assertThat(c.enrollToken()).isEqualTo("secret");
        assertThat(c.cpuMillis()).isEqualTo(3500);
        assertThat(c.memoryBytes()).isEqualTo(6L << 30);
        assertThat(c.sandbox().mode()).isEqualTo("cgroup-v1");
        assertThat(c.sandbox().parent()).isEqualTo("office/cyphon");
        assertThat(c.uploadEvery()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void powerSaysWhetherAndHowTheDeskSleeps() throws Exception {
        AgentConfig c = AgentConfigLoader.load(file("""
                [power]
                suspend_when_idle = "30m"
                sleep = "hibernate"
                wake_broadcast = ["10.1.2.255"]
                """));
        assertThat(c.power().suspendWhenIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.power().how()).isEqualTo("hibernate");
        assertThat(c.power().wakeBroadcast()).containsExactly("10.1.2.255");
        assertThat(AgentConfigLoader.load(file("name = \"a\"\n")).power().sleeps())
                .isFalse();
        assertThat(AgentConfigLoader.load(file("[power]\nsuspend_when_idle = \"off\"\n"))
                        .power()
                        .sleeps())
                .isFalse();

        assertThatThrownBy(() -> AgentConfigLoader.load(file("[power]\nsleep = \"nap\"\n")))
                .hasMessageContaining("key 'power.sleep': 'nap' is not suspend or hibernate");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("[power]\nsuspend_when_idle = \"soon\"\n")))
                .hasMessageContaining("key 'power.suspend_when_idle'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("[power]\nwake_broadcast = [\"lan\"]\n")))
                .hasMessageContaining("key 'power.wake_broadcast': 'lan' is not an IPv4 address");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("[power]\nsuspend = \"30m\"\n")))
                .hasMessageContaining("unknown key 'power.suspend'");
    }

    @Test
    void severalCoordinatorsAreAnArrayOrACommaList() throws Exception {
        AgentConfig array =
                AgentConfigLoader.load(file("coordinator = [\"http://127.0.0.1:7070\", \"http://127.0.0.1:7071\"]\n"));
        assertThat(array.coordinator()).hasToString("http://127.0.0.1:7070");
        assertThat(array.coordinators())
                .extracting(Object::toString)
                .containsExactly("http://127.0.0.1:7070", "http://127.0.0.1:7071");
        AgentConfig commas =
                AgentConfigLoader.load(file("coordinator = \"http://127.0.0.1:7071, http://127.0.0.1:7070\"\n"));
        assertThat(commas.coordinators())
                .extracting(Object::toString)
                .containsExactly("http://127.0.0.1:7071", "http://127.0.0.1:7070");
        assertThat(commas.transports()).hasSize(2);
        assertThatThrownBy(
                        () -> AgentConfigLoader.load(file("coordinator = [\"http://127.0.0.1:7070\", \"ftp://x\"]\n")))
                .hasMessageContaining("key 'coordinator': 'ftp://x' is not an http(s) URL");
        assertThatThrownBy(() -> AgentConfigLoader.load(
                        file("coordinator = [\"http://127.0.0.1:7070\", \"http://10.0.0.5:7070\"]\n")))
                .as("each coordinator is checked like the first")
                .hasMessageContaining("insecure_http");
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedNamingInsecureHttp() throws Exception {
        Path f = file("coordinator = \"http://10.0.0.5:7070\"\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 'coordinator'")
                .hasMessageContaining("refusing plain HTTP to 10.0.0.5")
                .hasMessageContaining("insecure_http = true");
    }

    @Test
    void insecureHttpWrittenInTheFileAllowsIt() throws Exception {
        AgentConfig c = AgentConfigLoader.load(file("coordinator = \"http://10.0.0.5:7070\"\ninsecure_http = true\n"));
        assertThat(c.trust().insecureHttp()).isTrue();
        assertThat(c.transport().https()).isFalse();
    }

    @Test
    void plainHttpToLoopbackAliasesNeedsNoInsecureHttp() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "[::1]"}) {
            AgentConfig c = AgentConfigLoader.load(file("coordinator = \"http://" + host + ":7070\"\n"));
            assertThat(c.transport().https()).as(host).isFalse();
        }
    }

    @Test
    void aMalformedFingerprintIsRefusedByKey() throws Exception {
        Path f = file("coordinator = \"https://10.0.0.5:7070\"\nca_fingerprint = \"sha1:abcd\"\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(f))
                .hasMessageContaining("key 'ca_fingerprint'")
                .hasMessageContaining("sha256:");
        Path g = file("coordinator = \"http://127.0.0.1:7070\"\nca_fingerprint = \"sha256:" + "ab".repeat(32) + "\"\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(g)).hasMessageContaining("use https://");
    }

    @Test
    void defaultsComeFromTheMachine() throws Exception {
        AgentConfig c = AgentConfigLoader.load(file(""));
        assertThat(c.cpuMillis()).isEqualTo(Runtime.getRuntime().availableProcessors() * 1000);
        assertThat(c.memoryBytes()).isPositive();
        assertThat(c.sandbox().mode()).isEqualTo("auto");
        assertThat(c.coordinator().toString()).isEqualTo("http://127.0.0.1:7070");
        // No fixed account any more (issue 12): a root agent gives each job a slot account.
        assertThat(c.jobUser()).isNull();
        assertThat(c.sandbox().runAs()).isEqualTo("slot");
        assertThat(c.sandbox().slotPrefix()).isEqualTo("cyphon-slot");
        assertThat(c.sandbox().maxJobs()).isEqualTo(4 * Runtime.getRuntime().availableProcessors());
        assertThat(c.sandbox().pidsMax()).isEqualTo(1024);
    }

    @Test
    void wallSettingsAreReadAndBadOnesNamed() throws Exception {
        AgentConfig c = AgentConfigLoader.load(file(
                "[sandbox]\nrun_as = \"submitter\"\nmax_jobs = 3\npids_max = 200\nshare_homes = [\"/home/shared\"]\n"));
        assertThat(c.sandbox().runAs()).isEqualTo("submitter");
        assertThat(c.sandbox().maxJobs()).isEqualTo(3);
        assertThat(c.sandbox().pidsMax()).isEqualTo(200);
        assertThat(c.sandbox().shareHomes()).containsExactly(java.nio.file.Path.of("/home/shared"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> AgentConfigLoader.load(file("[sandbox]\nrun_as = \"nobody\"\n")))
                .hasMessageContaining("run_as 'nobody' is not slot or submitter");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> AgentConfigLoader.load(file("[sandbox]\nmax_jobs = 0\n")))
                .hasMessageContaining("sandbox.max_jobs");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> AgentConfigLoader.load(file("[sandbox]\nshare_homes = [\"home/x\"]\n")))
                .hasMessageContaining("not an absolute path");
    }

    @Test
    void theDesksOwnerIsNamedOrLeftToTheAdmin() throws Exception {
        assertThat(AgentConfigLoader.load(file("owner = \"alice\"\n")).owner()).isEqualTo("alice");
        assertThat(AgentConfigLoader.load(file("")).owner())
                .as("unset: the coordinator keeps what an admin set")
                .isNull();
        assertThatThrownBy(() -> AgentConfigLoader.load(file("owner = \"alice smith\"\n")))
                .hasMessageContaining("key 'owner'");
    }

    @Test
    void unknownKeysAreNamedWithTheirSection() throws Exception {
        assertThatThrownBy(() -> AgentConfigLoader.load(file("nmae = \"x\"\n")))
                .hasMessageContaining("unknown key 'nmae'")
                .hasMessageContaining("agent.toml");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("[sandbox]\nmoed = \"auto\"\n")))
                .hasMessageContaining("unknown key 'sandbox.moed'");
    }

    @Test
    void badValuesNameTheirKey() throws Exception {
        assertThatThrownBy(() -> AgentConfigLoader.load(file("memory = \"lots\"\n")))
                .hasMessageContaining("key 'memory'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("cpus = -2\n"))).hasMessageContaining("key 'cpus'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("[sandbox]\nmode = \"docker\"\n")))
                .hasMessageContaining("key 'sandbox.mode'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("[output]\nupload_every = \"soon\"\n")))
                .hasMessageContaining("key 'output.upload_every'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("coordinator = \"ftp://x\"\n")))
                .hasMessageContaining("key 'coordinator'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("name = \"has space\"\n")))
                .hasMessageContaining("key 'name'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("cpus = \"four\"\n")))
                .hasMessageContaining("'cpus'");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("name = [\n"))).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> AgentConfigLoader.load(file("enroll_token_file = \"/nonexistent/token\"\n")))
                .hasMessageContaining("key 'enroll_token_file'");
    }

    @Test
    void anInlineTokenInAFileOthersMayReadIsRefusedNamingTheFix() throws Exception {
        Path f = file("name = \"d\"\ncoordinator = \"http://127.0.0.1:7070\"\nenroll_token = \"pool-secret\"\n");
        java.nio.file.Files.setPosixFilePermissions(
                f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AgentConfigLoader.load(f))
                .hasMessageContaining(f.toString())
                .hasMessageContaining("chmod 600 " + f)
                .hasMessageNotContaining("pool-secret");
        java.nio.file.Files.setPosixFilePermissions(
                f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(AgentConfigLoader.load(f).enrollToken()).isEqualTo("pool-secret");
    }

    @Test
    void gpuSettingsAreReadAndBadOnesNamed() throws Exception {
        assertThat(AgentConfigLoader.load(file("")).gpu()).isEqualTo(org.cyphon.agent.gpu.GpuSettings.defaults());
        Path smi = tmp.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n");
        smi.toFile().setExecutable(true);
        AgentConfig c =
                AgentConfigLoader.load(file("[gpu]\nnvidia_smi = \"%s\"\ndev_dir = \"%s\"\n".formatted(smi, tmp)));
        assertThat(c.gpu().nvidiaSmi()).isEqualTo(smi);
        assertThat(c.gpu().devDir()).isEqualTo(tmp);

        Path relative = file("[gpu]\nnvidia_smi = \"bin/nvidia-smi\"\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(relative)).hasMessageContaining("key 'gpu.nvidia_smi'");
        Path missing = file("[gpu]\nnvidia_smi = \"%s\"\n".formatted(tmp.resolve("none")));
        assertThatThrownBy(() -> AgentConfigLoader.load(missing))
                .hasMessageContaining("key 'gpu.nvidia_smi'")
                .hasMessageContaining("not an executable file");
        Path noDir = file("[gpu]\ndev_dir = \"%s\"\n".formatted(tmp.resolve("none")));
        assertThatThrownBy(() -> AgentConfigLoader.load(noDir)).hasMessageContaining("key 'gpu.dev_dir'");
        Path typo = file("[gpu]\ndevdir = \"/dev\"\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(typo))
                .hasMessageContaining("unknown key 'gpu.devdir'")
                .hasMessageContaining("dev_dir");
    }
}
