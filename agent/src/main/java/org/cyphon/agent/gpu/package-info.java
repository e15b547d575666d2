/**
 * The desk's NVIDIA GPUs: what {@code nvidia-smi} says they are and how busy, which job each is
 * assigned to, and which device nodes a job must not open. The agent hands GPUs out whole, one job
 * per GPU, and tells the coordinator about each with its heartbeat.
 */
package org.cyphon.agent.gpu;
