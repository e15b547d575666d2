package org.cyphon.core.policy;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.core.owner.Presence;

/**
 * A custom policy in the spirit of HTCondor's START / SUSPEND / CONTINUE / PREEMPT / KILL: boolean
 * CEL expressions over {@link CelVariables}, compiled and type-checked once, when the policy is
 * built; a bad one is refused with its key, line, column and reason.
 *
 * <p>Running work: a hard stop of the settings (window, battery, exclusive app, GPU rules) freezes
 * it; else {@code vacate} sends it away; else {@code freeze} freezes it; else {@code linger} (if
 * set) makes it linger; else it runs. Frozen work thaws when nothing stops it, {@code thaw} is
 * true and {@code freeze} is false (so a policy cannot flap between the two); else {@code vacate}
 * sends it away; else it stays frozen. Leaving work is killed when {@code kill} is true, or, when
 * no {@code kill} is set, after {@code vacate_grace}.
 *
 * <p>An expression that fails while evaluating (say, a division by zero) takes the owner's side:
 * start, thaw, vacate, kill and linger count as false, freeze as true; the reason says so.
 */
final class CelPolicy implements Policy {
    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    private static final CelCompiler COMPILER;
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

    static {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setResultType(SimpleType.BOOL);
        for (CelVariables.Var v : CelVariables.ALL) b.addVar(v.name(), v.type());
        COMPILER = b.build();
    }

    /** One compiled expression, and the variables it reads (for the reasons). */
    private record Rule(String key, String source, CelRuntime.Program program, List<String> reads, boolean ownerSide) {
        boolean test(CelVariableResolver vars, List<String> errors) {
            try {
                return (Boolean) program.eval(vars);
            } catch (CelEvaluationException | RuntimeException e) {
                errors.add(key + " failed (" + e.getMessage() + "): counted as " + ownerSide + ", the owner's side");
                return ownerSide;
            }
        }

        String explain(boolean value, Situation x, AttemptFacts a) {
            StringBuilder b = new StringBuilder(key)
                    .append(" is ")
                    .append(value)
                    .append(": ")
                    .append(source.strip().replaceAll("\\s+", " "));
            if (!reads.isEmpty()) {
                b.append(" [");
                for (int i = 0; i < reads.size(); i++) {
                    if (i > 0) b.append(", ");
                    b.append(reads.get(i)).append('=').append(CelVariables.value(reads.get(i), x, a));
                }
                b.append(']');
            }
            return b.toString();
        }
    }

    private final PolicySettings s;
    private final Rule start;
    private final Rule freeze;
    private final Rule thaw;
    private final Rule vacate;
    private final Rule kill;
    private final Rule linger;
    private final CelTimeCrossings crossings;

    private CelPolicy(PolicySettings s, Map<String, Rule> rules) {
        this.s = s;
        this.start = rules.get("start");
        this.freeze = rules.get("freeze");
        this.thaw = rules.get("thaw");
        this.vacate = rules.get("vacate");
        this.kill = rules.get("kill");
        this.linger = rules.get("linger");
        this.crossings = CelTimeCrossings.of(s.expressions().values());
    }

    /**
     * Compiles the settings' expressions.
     *
     * @throws InvalidPolicyException naming a missing expression, or the first error of an invalid
     *                                one with its 1-based line and column
     */
    static CelPolicy compile(PolicySettings s) {
        Map<String, String> expressions = s.expressions();
        List<String> missing = new ArrayList<>();
        for (String key : List.of("start", "freeze", "thaw", "vacate"))
            if (!expressions.containsKey(key)) missing.add(key);
        if (!missing.isEmpty()) {
            throw new InvalidPolicyException(
                    missing.getFirst(),
                    "a custom policy needs start, freeze, thaw and vacate expressions; missing: "
                            + String.join(", ", missing));
        }
        Map<String, Rule> rules = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : expressions.entrySet())
            rules.put(e.getKey(), compile(e.getKey(), e.getValue()));
        return new CelPolicy(s, rules);
    }

    private static Rule compile(String key, String source) {
        CelValidationResult result = COMPILER.compile(source, key);
        if (result.hasError()) {
            List<CelIssue> errors = result.getErrors();
            CelIssue first = errors.getFirst();
            String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
            int line = Math.max(1, first.getSourceLocation().getLine());
            int column = Math.max(0, first.getSourceLocation().getColumn()) + 1;
            throw new InvalidPolicyException(key, first.getMessage() + more, line, column);
        }
        try {
            CelRuntime.Program program = RUNTIME.createProgram(result.getAst());
            List<String> reads = new ArrayList<>();
            Matcher w = WORD.matcher(source);
            while (w.find())
                if (CelVariables.BY_NAME.containsKey(w.group()) && !reads.contains(w.group())) reads.add(w.group());
            boolean ownerSide = key.equals("freeze");
            return new Rule(key, source, program, List.copyOf(reads), ownerSide);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidPolicyException(key, e.getMessage());
        }
    }

    @Override
    public String name() {
        return s.preset() + " (custom expressions)";
    }

    @Override
    public PolicySettings settings() {
        return s;
    }

    @Override
    public StartDecision mayStart(Instant now, Presence presence, MachineFacts machine) {
        Situation x = Situation.of(s, now, presence, machine);
        StartDecision d = startAt(x);
        Instant next = NextChange.find(
                now, crossings.candidates(x, null), t -> !startAt(x.at(t)).sameAnswer(d));
        return d.withReconsiderAt(next);
    }

    @Override
    public Decision decide(PolicyInput in) {
        Situation x = Situation.of(s, in.now(), in.presence(), in.machine());
        Decision d = judge(x, in.attempt());
        List<Instant> candidates = crossings.candidates(x, in.attempt());
        if (kill == null && in.attempt().state() == AttemptState.VACATING)
            candidates.add(VacateGrace.endsAt(s, in.attempt()));
        Instant next = NextChange.find(
                in.now(), candidates, t -> judge(x.at(t), in.at(t).attempt()).action() != d.action());
        return d.withReconsiderAt(next);
    }

    private StartDecision startAt(Situation x) {
        List<String> stops = x.stops();
        if (!stops.isEmpty()) return new StartDecision(false, false, stops, null);
        List<String> reasons = new ArrayList<>();
        CelVariableResolver vars = CelVariables.resolver(x, null);
        boolean allowed = start.test(vars, reasons);
        reasons.addFirst(start.explain(allowed, x, null));
        String gpu = x.gpuStop();
        if (allowed && gpu != null) reasons.add(gpu);
        return new StartDecision(allowed, allowed && gpu == null, reasons, null);
    }

    private Decision judge(Situation x, AttemptFacts a) {
        CelVariableResolver vars = CelVariables.resolver(x, a);
        List<String> reasons = new ArrayList<>();
        List<String> stops = x.stops(a.usesGpu());
        switch (a.state()) {
            case RUNNING, LINGERING -> {
                if (!stops.isEmpty()) return new Decision(Action.FREEZE, stops, null, null);
                if (vacate.test(vars, reasons))
                    return because(Action.CHECKPOINT_AND_VACATE, vacate, true, x, a, reasons, null);
                if (freeze.test(vars, reasons)) return because(Action.FREEZE, freeze, true, x, a, reasons, null);
                if (linger != null && linger.test(vars, reasons))
                    return because(Action.LINGER, linger, true, x, a, reasons, s.lingerCaps());
                return because(Action.RUN, freeze, false, x, a, reasons, null);
            }
            case FROZEN -> {
                if (!stops.isEmpty()) {
                    reasons.addAll(0, stops);
                } else if (thaw.test(vars, reasons)) {
                    if (!freeze.test(vars, reasons)) {
                        boolean lingers = linger != null && linger.test(vars, reasons);
                        return because(Action.THAW, thaw, true, x, a, reasons, lingers ? s.lingerCaps() : null);
                    }
                    reasons.add(freeze.explain(true, x, a) + ": stays frozen though thaw is true");
                } else {
                    reasons.add(thaw.explain(false, x, a));
                }
                if (vacate.test(vars, reasons))
                    return because(Action.CHECKPOINT_AND_VACATE, vacate, true, x, a, reasons, null);
                return new Decision(Action.FREEZE, reasons, null, null);
            }
            case VACATING -> {
                if (kill == null) return VacateGrace.decide(s, x.now, a);
                boolean k = kill.test(vars, reasons);
                return because(k ? Action.KILL : Action.CHECKPOINT_AND_VACATE, kill, k, x, a, reasons, null);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static Decision because(
            Action action, Rule rule, boolean value, Situation x, AttemptFacts a, List<String> extra, LingerCaps caps) {
        List<String> reasons = new ArrayList<>();
        reasons.add(rule.explain(value, x, a));
        reasons.addAll(extra);
        return new Decision(action, reasons, null, caps);
    }
}
