package io.hearth.server.sweep;

/** RUNNING while any task is pending or running; then COMPLETED (every task succeeded), FAILED or CANCELLED. */
public enum SweepState {
    RUNNING, COMPLETED, FAILED, CANCELLED
}
