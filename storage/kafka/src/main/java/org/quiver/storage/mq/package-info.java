/**
 * The message queue contract of quiver-storage on Apache Kafka, in a module of its own
 * (quiver-storage-kafka) so that the single-process engine and the applications that embed Quiver
 * carry no Kafka client: {@link KafkaMessageQueue} keeps a cluster's log in Kafka, one
 * single-partition topic per channel with message ids as offsets, and keeps the channel-to-topic
 * map and the consumer-group positions in a {@link org.quiver.storage.kv.KvStore} (etcd in a
 * cluster), so that positions commit with the catalog. It passes the same contract test as RocksMQ
 * and is thread-safe. The engine does not use it yet (docs/cluster.md). It depends on
 * quiver-storage and kafka-clients only.
 */
package org.quiver.storage.mq;
