package org.cyphon.agent.sensors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sensors {@link Sensors#start} started (and those it could not): their states, and one close for all. */
public final class RunningSensors implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningSensors.class);

    /** A sensor with what happened when it was started; {@code fixedStatus} overrides its own status. */
    record Entry(String name, Sensor sensor, boolean running, String fixedStatus) {}

    private final List<Entry> entries;
    private final SamplingThreads relay;

    RunningSensors(List<Entry> entries, SamplingThreads relay) {
        this.entries = List.copyOf(entries);
        this.relay = relay;
    }

    /** Every configured sensor in start order, with its status now. */
    public List<SensorState> states() {
        List<SensorState> out = new ArrayList<>();
        for (Entry e : entries) {
            String status =
                    e.fixedStatus() != null ? e.fixedStatus() : e.sensor().status();
            out.add(new SensorState(e.name(), e.running(), status));
        }
        return out;
    }

    /**
     * Waits until every running sensor has told the sink what it sees at start (its first sample),
     * at most {@code atMost}: as long as the slowest first look takes, not a fixed time.
     *
     * @return false when some sensor had not looked within {@code atMost}
     */
    public boolean awaitFirstLook(Duration atMost) throws InterruptedException {
        CompletableFuture<?>[] looks = entries.stream()
                .filter(e -> e.sensor() != null && e.running())
                .map(e -> e.sensor().firstLook().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(looks).get(atMost.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // a failed first look has looked all the same
        }
    }

    /** Closes every sensor, the last started first; one failing to close does not stop the others. */
    @Override
    public void close() {
        for (Entry e : entries.reversed()) {
            if (e.sensor() == null) continue;
            try {
                e.sensor().close();
            } catch (RuntimeException ex) {
                log.warn("sensor {}: close failed", e.name(), ex);
            }
        }
        relay.close(); // last: a sensor stopping may still hand over what it saw
    }
}
