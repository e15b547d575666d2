/**
 * The desk's power, decided: when an idle desk may put itself to sleep ({@link IdleSleep}), which
 * sleeping desks queued work should wake and within what budget ({@link WakeChoice}), and the
 * Wake-on-LAN magic packet that wakes one ({@link MagicPacket}, {@link MacAddress}). Pure, like the
 * rest of core: the agent, the coordinator and the simulator call the same code.
 */
package org.cyphon.core.power;
