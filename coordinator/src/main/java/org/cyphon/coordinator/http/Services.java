package org.cyphon.coordinator.http;

import java.time.Duration;
import org.cyphon.coordinator.agents.ApplyReports;
import org.cyphon.coordinator.agents.EnrollMachine;
import org.cyphon.coordinator.agents.ProcessHeartbeat;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.auth.MintToken;
import org.cyphon.coordinator.checkpoints.FetchCheckpoint;
import org.cyphon.coordinator.checkpoints.StoreCheckpoint;
import org.cyphon.coordinator.jobs.ChangeJobState;
import org.cyphon.coordinator.jobs.ReadJobs;
import org.cyphon.coordinator.jobs.SubmitJobs;
import org.cyphon.coordinator.logs.ReadOutput;
import org.cyphon.coordinator.logs.UploadOutput;
import org.cyphon.coordinator.machines.DrainMachine;
import org.cyphon.coordinator.machines.ReadMachines;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.WorkMailboxes;

/**
 * Everything the HTTP routes call; each route is a thin adapter from HTTP to one of these.
 *
 * @param storeReadConnections the store's connections for reads ({@code store.pool_size}), which
 *     bounds how many heartbeats are worked on at once ({@code AgentWork})
 */
public record Services(
        Authenticate auth,
        SubmitJobs submit,
        ReadJobs readJobs,
        ChangeJobState changeJob,
        ReadOutput readOutput,
        ReadMachines readMachines,
        DrainMachine drain,
        MintToken mintToken,
        EnrollMachine enroll,
        ProcessHeartbeat heartbeat,
        ApplyReports reports,
        UploadOutput upload,
        StoreCheckpoint storeCheckpoint,
        FetchCheckpoint fetchCheckpoint,
        WorkMailboxes mailboxes,
        org.cyphon.coordinator.desk.DeskControl desk,
        CoordinatorMetrics metrics,
        Duration longPollMax,
        org.cyphon.coordinator.overload.Overload overload,
        org.cyphon.coordinator.profile.TrackRecordApi trackRecord,
        org.cyphon.coordinator.machines.LabelMachine labels,
        org.cyphon.coordinator.schedule.SchedulingLoop scheduler,
        org.cyphon.coordinator.auth.JoinSecrets joinSecrets,
        org.cyphon.coordinator.auth.ListTokens listTokens,
        org.cyphon.coordinator.auth.RevokeTokens revokeTokens,
        org.cyphon.coordinator.machines.MachineIdentity identity,
        org.cyphon.coordinator.secrets.SecretsKey secrets,
        org.cyphon.coordinator.files.FileServices files,
        org.cyphon.coordinator.power.GoToSleep goToSleep,
        org.cyphon.coordinator.power.WakeDesk wakeDesk,
        org.cyphon.coordinator.simulate.RunSimulations simulations,
        org.cyphon.coordinator.harvest.ReadHarvest harvest,
        org.cyphon.coordinator.ha.ListCoordinators coordinators,
        int storeReadConnections) {}
