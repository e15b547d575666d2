package org.cyphon.coordinator.files;

/** What the file routes call: uploads, downloads, outputs and the shared storage desks have. */
public record FileServices(
        FileSettings settings,
        UploadBlobs upload,
        ServeBlobs serve,
        RecordOutputs record,
        ListOutputs list,
        SharedStorageSeen shared) {}
