package org.quiver.jdbc.internal;

import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;
import org.quiver.jdbc.spi.EmbeddedConnector;

/**
 * The rows of a JDBC batch of a remote prepared statement, sent as one Avatica {@code
 * ExecuteBatchRequest} in which each vector value is its bytes ({@link VectorBytes}) once. Avatica's client keeps a
 * byte string as base64 text from the moment it is set and puts it on the wire twice, as bytes
 * and as that text, so that a 128-d vector costs an encode, a decode and about 1.2 KB; the
 * request built here is the same protobuf message with the bytes alone, which every Avatica
 * server reads (the text is only there for clients older than CALCITE-1103).
 *
 * <p>Values other than vectors, numbers, text, booleans and NULL are left to Avatica: a batch
 * holding one goes through the statement itself ({@link #insert} returns null), as does a batch
 * whose statement the server no longer knows (so that Avatica prepares it again) and the batches
 * of a connection that balances its load over several servers.
 */
final class RemoteBatchInsert implements EmbeddedConnector.BatchInsert {
  private static final ProtobufTranslation TRANSLATION = new ProtobufTranslationImpl();
  private static final String REQUEST_NAME = Requests.ExecuteBatchRequest.class.getName();
  private static final Set<Class<?>> PLAIN_VALUES = Set.of(String.class, Long.class,
      Integer.class, Short.class, Byte.class, Double.class, Float.class, Boolean.class,
      BigDecimal.class);

  /** The batch client of one connection ({@link SideClients}), made on first use. */
  interface Sender {
    AvaticaHttpClient http() throws SQLException;
  }

  private final AvaticaPreparedStatement statement;
  /** The JDBC type name and type of each parameter as the server describes it, from 0. */
  private final String[] typeNames;
  private final int[] types;
  private final Sender sender;

  private RemoteBatchInsert(AvaticaPreparedStatement statement, String[] typeNames, int[] types,
      Sender sender) {
    this.statement = statement;
    this.typeNames = typeNames;
    this.types = types;
    this.sender = sender;
  }

  /**
   * Whether {@code sql} is an INSERT or UPSERT (as its first word says), whose batches take this
   * path; other statements keep Avatica's.
   */
  static boolean writes(String sql) {
    String s = sql.stripLeading();
    return s.regionMatches(true, 0, "INSERT", 0, 6) || s.regionMatches(true, 0, "UPSERT", 0, 6);
  }

  /** The batch path of {@code prepared}, or null if it is not a remote Avatica statement. */
  static RemoteBatchInsert of(PreparedStatement prepared, Sender sender) throws SQLException {
    if (!prepared.isWrapperFor(AvaticaPreparedStatement.class)) {
      return null;
    }
    AvaticaPreparedStatement s = prepared.unwrap(AvaticaPreparedStatement.class);
    // Avatica describes the parameters in the prepare's answer: no request here.
    ParameterMetaData md = s.getParameterMetaData();
    String[] typeNames = new String[md.getParameterCount()];
    int[] types = new int[typeNames.length];
    for (int i = 0; i < typeNames.length; i++) {
      typeNames[i] = md.getParameterTypeName(i + 1);
      types[i] = md.getParameterType(i + 1);
    }
    return new RemoteBatchInsert(s, typeNames, types, sender);
  }

  @Override
  public int parameterCount() {
    return types.length;
  }

  /** Inserts the rows; null if they are left to Avatica's own path (see the class comment). */
  @Override
  public int[] insert(List<Object[]> rows) throws SQLException {
    if (statement.isClosed() || statement.getConnection().unwrap(AvaticaConnection.class)
        .config().useClientSideLb()) {
      return null;
    }
    AvaticaHttpClient http = sender.http();
    Meta.StatementHandle h = statement.handle;
    Requests.ExecuteBatchRequest.Builder request = Requests.ExecuteBatchRequest.newBuilder()
        .setConnectionId(h.connectionId)
        .setStatementId(h.id);
    for (Object[] row : rows) {
      Requests.UpdateBatch.Builder update = Requests.UpdateBatch.newBuilder();
      for (int i = 0; i < row.length; i++) {
        Common.TypedValue proto = toProto(VectorBytes.wireForm(row[i], typeNames[i], types[i]));
        if (proto == null) {
          return null;
        }
        update.addParameterValues(proto);
      }
      request.addUpdates(update);
    }
    byte[] body = Common.WireMessage.newBuilder()
        .setName(REQUEST_NAME)
        .setWrappedMessage(request.build().toByteString())
        .build()
        .toByteArray();
    Service.Response response;
    try {
      response = TRANSLATION.parseResponse(http.send(body));
    } catch (IOException | RuntimeException e) {
      throw new SQLException("a batch of " + rows.size() + " rows failed on its way to the "
          + "server or back: " + e.getMessage(), SideClients.CONNECTION_FAILURE,
          SideClients.CONNECTION_FAILURE_CODE, e);
    }
    if (response instanceof Service.ErrorResponse error) {
      AvaticaClientRuntimeException e = error.toException();
      throw new BatchUpdateException(e.getMessage(), e.getSqlState(), e.getErrorCode(),
          new int[0], e);
    }
    Service.ExecuteBatchResponse batch = (Service.ExecuteBatchResponse) response;
    if (batch.missingStatement) {
      return null;
    }
    int[] counts = new int[batch.updateCounts.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = (int) Math.min(Integer.MAX_VALUE, batch.updateCounts[i]);
    }
    return counts;
  }

  /**
   * The protobuf of a value in its wire form ({@link VectorBytes#wireForm}), or null if Avatica's
   * client should convert it.
   */
  private static Common.TypedValue toProto(Object value) {
    if (value instanceof byte[] bytes) {
      return Common.TypedValue.newBuilder()
          .setType(Common.Rep.BYTE_STRING)
          .setBytesValue(UnsafeByteOperations.unsafeWrap(bytes))
          .build();
    }
    if (value == null) {
      return TypedValue.EXPLICIT_NULL.toProto();
    }
    return PLAIN_VALUES.contains(value.getClass())
        ? TypedValue.ofJdbc(value, null).toProto() : null;
  }
}
