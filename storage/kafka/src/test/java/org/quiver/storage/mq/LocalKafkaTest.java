package org.quiver.storage.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.quiver.fixtures.LocalKafka;

/** The fixture itself: a real broker that takes topics, and that kill stops. */
class LocalKafkaTest {

  @Test
  void startsABrokerThatCreatesTopicsAndKillStopsIt() throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
        assertTrue(admin.listTopics().names().get().contains("smoke"));
        assertEquals(1, admin.describeCluster().nodes().get().size());
      }
      kafka.kill();
      assertFalse(kafka.isAlive());
    }
  }
}
