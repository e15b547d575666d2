package org.cyphon.agent.sensors;

import java.util.ArrayList;
import java.util.List;
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
