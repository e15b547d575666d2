package org.cyphon.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The other half of dispatch: not how many jobs per second a saturated coordinator moves, but how
 * soon one new job reaches an idle pool. Submits single jobs one after another while every
 * simulated agent waits in its long poll, and times submit-call start to an agent holding it.
 */
final class DispatchLatencyProbe {
    final LatencySamples submitToAgent = new LatencySamples();
    final LatencySamples submitCall = new LatencySamples();
    final List<Long> ids = new ArrayList<>();

    void run(ApiClient admin, DispatchTally tally, JobSubmitter.Template template, int probes)
            throws IOException, InterruptedException {
        for (int i = 0; i < probes; i++) {
            long t0 = System.nanoTime();
            long id = JobSubmitter.submit(admin, template, 1).ids().get(0);
            submitCall.add(System.nanoTime() - t0);
            ids.add(id);
            try {
                long arrived = tally.arrival(id).get(30, TimeUnit.SECONDS);
                submitToAgent.add(arrived - t0);
                // Next probe only once this one is completed: each must find the pool idle again.
                tally.acceptance(id).get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IOException("probe job " + id + " was not dispatched and completed within 30 s");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e); // arrivals are only ever completed normally
            }
        }
    }
}
