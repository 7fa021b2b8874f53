/**
 * The services a Quiver cluster keeps its state in, started as processes on this machine: {@link
 * EtcdServer} (the catalog), {@link KafkaBroker} (the log; a single node in KRaft mode) and {@link
 * S3Server} (segment files; S3Proxy over a folder). {@link ServiceProcess} is what they share: a
 * child process whose output goes to a file, waited for until it answers, stopped with SIGTERM and
 * then SIGKILL. {@code ./quiver cluster up} runs them on fixed ports with lasting data folders; the
 * test fixtures run them on free ports in temporary folders.
 */
package org.quiver.services;
