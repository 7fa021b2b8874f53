package org.quiver.storage.mq;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.quiver.storage.ServiceLocation;
import org.quiver.storage.kv.KvStore;

/**
 * {@code kafka://host:port[,host:port...]/NAMESPACE[?replication=N&retentionMs=M&timeoutMs=T]}: a
 * {@link KafkaMessageQueue} on those brokers (port 9092 when none is given), its topics and KV keys
 * under {@code NAMESPACE} ({@code quiver} when the path is empty; ASCII letters and digits).
 * {@code replication} is the replicas of each new topic (min(3, brokers) when absent),
 * {@code retentionMs} Kafka's {@code retention.ms} for new topics (the broker's default when
 * absent), {@code timeoutMs} the bound on one call's wait for the brokers (30 s). Opening asks the
 * brokers once, so that a log nobody answers for fails at once rather than at the first write.
 */
public final class KafkaMessageQueueProvider implements MessageQueueProvider {
  static final int DEFAULT_PORT = 9092;

  @Override
  public String scheme() {
    return "kafka";
  }

  @Override
  public MessageQueue open(URI location, KvStore positions) {
    String servers = String.join(",", ServiceLocation.hostsAndPorts(location, DEFAULT_PORT));
    String namespace = ServiceLocation.prefix(location, "quiver/");
    KafkaMessageQueue.Settings settings = KafkaMessageQueue.Settings.defaults(servers)
        .withNamespace(namespace.substring(0, namespace.length() - 1));
    List<String> unknown = new ArrayList<>();
    for (var parameter : ServiceLocation.query(location).entrySet()) {
      String value = parameter.getValue();
      settings = switch (parameter.getKey()) {
        case "replication" -> settings.withReplicationFactor(whole(location, "replication", value));
        case "retentionMs" -> settings.withRetention(
            Duration.ofMillis(whole(location, "retentionMs", value)));
        case "timeoutMs" -> settings.withTimeout(
            Duration.ofMillis(whole(location, "timeoutMs", value)));
        default -> {
          unknown.add(parameter.getKey());
          yield settings;
        }
      };
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown parameters " + unknown + " in " + location
          + ": the log takes replication, retentionMs and timeoutMs");
    }
    KafkaMessageQueue queue = new KafkaMessageQueue(settings, positions);
    try {
      queue.brokers();
    } catch (RuntimeException e) {
      queue.close();
      throw e;
    }
    return queue;
  }

  private static int whole(URI location, String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number in " + location + ", got '" + value + "'", e);
    }
  }
}
