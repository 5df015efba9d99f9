package io.logflow.source.files;

/** What the source knows of a file before reading it: where it is, which version, and what its path says. */
final class UploadFile {
    final String path;
    final String version;
    final String routingKey;
    final String service;
    /** Midnight UTC of the date in the path, or 0: the time of lines that carry none. */
    final long pathDate;

    UploadFile(String path, String version, String routingKey, String service, long pathDate) {
        this.path = path;
        this.version = version;
        this.routingKey = routingKey;
        this.service = service;
        this.pathDate = pathDate;
    }
}
