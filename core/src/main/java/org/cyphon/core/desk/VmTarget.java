package org.cyphon.core.desk;

/** Where the owner's desk VM should be. */
public enum VmTarget {
    /** Running: the owner is there, or will be soon, or left only a moment ago. */
    RUNNING,
    /** Paused in memory: resumes in milliseconds when the owner returns; its CPU is free for jobs. */
    PAUSED,
    /** Saved to disk: its memory is free for jobs too; coming back takes seconds. */
    SAVED
}
