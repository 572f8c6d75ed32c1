package io.hearth.server.process;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a supervised daemon's {@link ProcessRecord} is kept: the owner's choice (the metastore's
 * JSON file, a cluster instance's columns), so the record sits with the rest of the owner's state.
 */
public interface ProcessRecords {
    /** The record of the last launch, if there is one. */
    Optional<ProcessRecord> read();

    /** Keeps the record of a launch that just happened. */
    void write(ProcessRecord record) throws IOException;
}
