package org.cyphon.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cyphon.sim.engine.PolicyResult;
import org.cyphon.sim.engine.SimResult;

/**
 * The {@code --json} result: an object with the inputs, the settings and a {@code policies} array.
 * Key order is fixed and nothing depends on the wall clock, so the same run writes the same bytes.
 */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static String render(SimResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "cyphon simulate v1");
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("owners", r.ownerSource());
        if (r.presenceRule() != null) in.put("presenceRule", r.presenceRule());
        in.put("jobs", r.jobSource());
        in.put("origin", r.origin().toString());
        in.put("horizonSeconds", r.horizonMs() / 1000.0);
        in.put("desks", r.desks());
        in.put("jobsInTrace", r.jobsInTrace());
        in.put("jobsSkippedByReader", r.jobsSkippedByReader());
        in.put("jobsWithCpusCappedToCores", r.jobsCpuCapped());
        root.put("inputs", in);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cores", r.config().cores());
        s.put("ownerCpusWhilePresent", r.config().ownerCpusWhilePresent());
        s.put("lingerSlowdown", r.config().lingerSlowdown());
        s.put("checkpointCostSeconds", r.config().checkpointCost().toMillis() / 1000.0);
        s.put("checkpointableFraction", r.config().checkpointable());
        s.put("placementEverySeconds", r.config().placementEvery().toMillis() / 1000.0);
        s.put("saturate", r.config().saturate());
        if (r.config().saturate())
            s.put("saturateJobSeconds", r.config().saturateRuntime().toMillis() / 1000.0);
        s.put("placementOffers", r.config().placementOffers());
        s.put("seed", r.config().seed());
        s.put("visibleUnservedCpuSeconds", r.config().visibleUnservedCpuSeconds());
        s.put("normalPriorityPresets", new ArrayList<>(new TreeSet<>(r.config().normalPriority())));
        s.put("power", power(r.config().power()));
        root.put("settings", s);
        List<Object> policies = new ArrayList<>();
        for (PolicyResult p : r.policies()) policies.add(policy(p));
        root.put("policies", policies);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> policy(PolicyResult p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("harvestEfficiency", round(p.harvestEfficiency(), 6));
        m.put("ownerInterferenceCpuSeconds", round(p.ownerInterferenceCpuSeconds(), 3));
        m.put("ownerVisibleEvents", p.ownerVisibleEvents());
        m.put("wastedCpuSeconds", round(p.wastedCpuSeconds(), 3));
        m.put("jobsCompleted", p.jobsCompleted());
        m.put("jobsUnfinished", p.jobsUnfinished());
        m.put("jobsLeftOut", p.jobsLeftOut());
        m.put("meanWaitSeconds", roundOrNull(p.meanWaitSeconds(), 3));
        m.put("meanBoundedSlowdown", roundOrNull(p.meanBoundedSlowdown(), 4));
        m.put("makespanSeconds", roundOrNull(p.makespanSeconds(), 3));
        m.put("usefulCpuSeconds", round(p.usefulCpuSeconds(), 3));
        m.put("inProgressCpuSeconds", round(p.inProgressCpuSeconds(), 3));
        m.put("idleCpuSecondsAvailable", round(p.idleCpuSecondsAvailable(), 3));
        m.put("normalPriorityCpuSecondsWhilePresent", round(p.normalPriorityCpuSecondsWhilePresent(), 3));
        m.put("lingerCostCpuSeconds", round(p.lingerCostCpuSeconds(), 3));
        m.put("unservedOwnerCpuSeconds", round(p.unservedOwnerCpuSeconds(), 3));
        m.put("ownerArrivals", p.ownerArrivals());
        m.put("checkpointOverheadCpuSeconds", round(p.checkpointOverheadCpuSeconds(), 3));
        m.put("jobPriority", p.jobPriority());
        m.put("freezes", p.freezes());
        m.put("vacates", p.vacates());
        m.put("kills", p.kills());
        m.put("attemptsLostToPowerOff", p.attemptsLostToPowerOff());
        m.put("cpuSecondsLostToPowerOff", round(p.power().cpuSecondsLostToPowerOff(), 3));
        m.put("checkpointableCpuSecondsLostToPowerOff", round(p.power().checkpointableCpuSecondsLostToPowerOff(), 3));
        m.put("attemptsCheckpointedAtShutdown", p.power().attemptsCheckpointedAtShutdown());
        m.put("awakeDeskHours", round(p.power().awakeDeskSeconds() / 3600, 3));
        m.put("asleepDeskHours", round(p.power().asleepDeskSeconds() / 3600, 3));
        m.put("offDeskHours", round(p.power().offDeskSeconds() / 3600, 3));
        m.put("sleeps", p.power().sleeps());
        m.put("wakeUps", p.power().wakeUps());
        m.put("energyKWh", round(p.power().energyKWh(), 3));
        m.put("placementPasses", p.placementPasses());
        m.put("policyDecisions", p.decisions());
        return m;
    }

    private static Map<String, Object> power(org.cyphon.sim.engine.PowerSettings p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shutdownDelaySeconds", p.shutdownDelay().toMillis() / 1000.0);
        m.put("suspendWhenIdleSeconds", p.sleeps() ? p.suspendWhenIdle().toMillis() / 1000.0 : null);
        if (p.sleeps()) {
            m.put("maxAwakePerHour", p.maxAwake());
            m.put("resumeSeconds", p.resumeTime().toMillis() / 1000.0);
        }
        m.put("wattsAwake", p.watts().awake());
        m.put("wattsAsleep", p.watts().asleep());
        m.put("wattsOff", p.watts().off());
        return m;
    }

    /** As {@link #round}; null (JSON has no NaN) for a figure that has no value, e.g. with no job completed. */
    static Double roundOrNull(double v, int digits) {
        return Double.isNaN(v) ? null : round(v, digits);
    }

    /** Rounded so that summation order in the last bits can never show (and the file stays readable). */
    static double round(double v, int digits) {
        return new java.math.BigDecimal(v)
                .setScale(digits, java.math.RoundingMode.HALF_EVEN)
                .doubleValue();
    }
}
