package org.quiver.sql.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.server.RemoteUserDisallowedException;
import org.apache.calcite.avatica.server.RemoteUserExtractionException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * The Avatica protobuf door: reads and parses each request body once, answers a body that is not
 * an Avatica protobuf request with 400 and a one-line reason (Avatica's own handler would answer
 * 500 with its Java stack trace, and parses the body itself, so refusing first cost a second
 * parse), runs the request as its authenticated user ({@link AccessControl#doAsRemoteUser}) and
 * answers as Avatica's handler does, errors included. An execution ({@code ExecuteRequest}) is
 * read here rather than by Avatica, so that its vector parameters stay bytes ({@link #execute});
 * for every other request only the small envelope naming it is read twice.
 *
 * <p>A handler in front that had to parse the body already (the first-user gate of {@link
 * QuiverServer}) leaves the request in the attribute {@link #PARSED}, and it is not parsed again.
 */
final class ProtobufDoor extends AbstractHandler {
  /** The request attribute holding a body parsed already, as a {@link Service.Request}. */
  static final String PARSED = ProtobufDoor.class.getName() + ".parsed";

  private static final String EXECUTE = Requests.ExecuteRequest.class.getName();

  /** Longest parser message a refusal quotes. */
  private static final int REASON_CHARS = 160;

  private static final String TEXT = "text/plain; charset=utf-8";

  private final ProtobufTranslation translation = new ProtobufTranslationImpl();
  private final Service service;
  private final AccessControl access;
  private final ServerMetrics metrics;
  /** Avatica's handler, for its error responses only. */
  private final ProtobufHandler errors;

  ProtobufDoor(Service service, AccessControl access, ServerMetrics metrics) {
    this.service = service;
    this.access = access;
    this.metrics = metrics;
    this.errors = new ProtobufHandler(service, translation, NoopMetricsSystem.getInstance());
  }

  /** The server's address, which Avatica's answers carry. */
  void setServerRpcMetadata(Service.RpcMetadataResponse metadata) {
    service.setRpcMetadata(metadata);
    errors.setRpcMetadata(metadata);
  }

  /** The Avatica request in {@code body}; throws IOException or a RuntimeException if none. */
  Service.Request parse(byte[] body) throws IOException {
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(body).newCodedInput();
    // The wrapped request stays a view of the body, as in Avatica's own parse.
    in.enableAliasing(true);
    Common.WireMessage wire = Common.WireMessage.parseFrom(in);
    if (EXECUTE.equals(wire.getName())) {
      return execute(Requests.ExecuteRequest.parseFrom(wire.getWrappedMessage()));
    }
    return translation.parseRequest(body);
  }

  /**
   * A parameter value as Avatica reads it, except that a byte string keeps the bytes the request
   * carries (Avatica's own reading turns them into base64 text, which its meta layer decodes
   * again): an OBJECT's serial form is its JDBC value, so the byte[] itself reaches
   * {@code setObject}. A byte string sent only as base64 text (clients older than CALCITE-1103)
   * goes Avatica's way.
   */
  static TypedValue parameter(Common.TypedValue value) {
    return value.getType() == Common.Rep.BYTE_STRING && !value.getBytesValue().isEmpty()
        ? TypedValue.ofSerial(ColumnMetaData.Rep.OBJECT, value.getBytesValue().toByteArray())
        : TypedValue.fromProto(value);
  }

  /**
   * An execution as Avatica reads it, except that its parameters are read by {@link #parameter}:
   * a vector from Quiver's driver stays bytes.
   */
  private static Service.ExecuteRequest execute(Requests.ExecuteRequest msg) {
    Meta.StatementHandle statement = msg.hasStatementHandle()
        ? Meta.StatementHandle.fromProto(msg.getStatementHandle()) : null;
    List<TypedValue> values = null;
    if (msg.getHasParameterValues()) {
      values = new ArrayList<>(msg.getParameterValuesCount());
      for (Common.TypedValue value : msg.getParameterValuesList()) {
        values.add(TypedValue.PROTO_IMPLICIT_NULL.equals(value) ? null : parameter(value));
      }
    }
    int firstFrame = msg.getFirstFrameMaxSize() != 0 ? msg.getFirstFrameMaxSize()
        : (int) msg.getDeprecatedFirstFrameMaxSize();
    return new Service.ExecuteRequest(statement, values, firstFrame);
  }

  @Override
  public void handle(String target, Request base, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    base.setHandled(true);
    if (!"POST".equals(request.getMethod())) {
      answer(response, HttpServletResponse.SC_BAD_REQUEST, TEXT,
          "This server expects only POST calls.\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    metrics.request(ServerMetrics.Transport.HTTP);
    Service.Request parsed = request.getAttribute(PARSED) instanceof Service.Request r ? r : null;
    byte[] body = parsed == null ? body(request) : null;
    HandlerResponse<byte[]> answer;
    try {
      String user = access.getRemoteUserExtractor().extract(request);
      answer = parsed != null ? answer(parsed, user, request.getRemoteAddr())
          : answer(body, user, request.getRemoteAddr());
    } catch (RemoteUserExtractionException e) {
      answer = errors.unauthenticatedErrorResponse(e);
    }
    answer(response, answer.getStatusCode(), answer.getStatusCode()
        == HttpServletResponse.SC_BAD_REQUEST ? TEXT : "application/octet-stream;charset=utf-8",
        answer.getResponse());
  }

  /**
   * What this door answers to the request in {@code body}, sent by {@code user} ({@code ""}: no
   * login, on a server that started open) from {@code address}: Avatica's response (status 200)
   * or error response (500, or 401/403 for a user who may not run requests), or 400 with a
   * one-line reason in plain text if the body is no Avatica protobuf request. Both transports,
   * HTTP and the channel ({@link ChannelDoor}), answer through here.
   */
  HandlerResponse<byte[]> answer(byte[] body, String user, String address) {
    Service.Request parsed;
    try {
      parsed = parse(body);
    } catch (IOException | RuntimeException e) {
      return refusal(e);
    }
    return answer(parsed, user, address);
  }

  /** What this door answers to {@code request}, parsed already, as for a body. */
  HandlerResponse<byte[]> answer(Service.Request request, String user, String address) {
    try {
      return access.doAsRemoteUser(user, address, () -> respond(request));
    } catch (RemoteUserDisallowedException e) {
      return errors.unauthorizedErrorResponse(e);
    } catch (Exception e) {
      return errors.convertToErrorResponse(e);
    }
  }

  /** Status 400 with the reason a body is no Avatica protobuf request. */
  static HandlerResponse<byte[]> refusal(Exception parseError) {
    String reason = String.valueOf(parseError.getMessage());
    return new HandlerResponse<>(("not an Avatica protobuf request ("
        + (reason.length() > REASON_CHARS ? reason.substring(0, REASON_CHARS) + "..." : reason)
        + "); use a JDBC driver: Quiver's jdbc:quiver:remote: or Avatica's with "
        + "serialization=protobuf\n").getBytes(StandardCharsets.UTF_8),
        HttpServletResponse.SC_BAD_REQUEST);
  }

  /** Whether {@code r} is an Avatica request to close a statement or a connection. */
  static boolean closes(Service.Request r) {
    return r instanceof Service.CloseStatementRequest
        || r instanceof Service.CloseConnectionRequest;
  }

  private HandlerResponse<byte[]> respond(Service.Request request) {
    try {
      return new HandlerResponse<>(translation.serializeResponse(dispatch(request)),
          HttpServletResponse.SC_OK);
    } catch (Exception e) {
      return errors.convertToErrorResponse(e);
    }
  }

  /**
   * The service's answer to {@code r}. Avatica's own dispatch ({@code Request.accept}) is
   * package-private, and its handler takes only bytes, which it parses.
   */
  private Service.Response dispatch(Service.Request r) {
    return switch (r) {
      case Service.CatalogsRequest q -> service.apply(q);
      case Service.SchemasRequest q -> service.apply(q);
      case Service.TablesRequest q -> service.apply(q);
      case Service.TableTypesRequest q -> service.apply(q);
      case Service.TypeInfoRequest q -> service.apply(q);
      case Service.ColumnsRequest q -> service.apply(q);
      case Service.PrepareRequest q -> service.apply(q);
      case Service.ExecuteRequest q -> service.apply(q);
      case Service.PrepareAndExecuteRequest q -> service.apply(q);
      case Service.SyncResultsRequest q -> service.apply(q);
      case Service.FetchRequest q -> service.apply(q);
      case Service.CreateStatementRequest q -> service.apply(q);
      case Service.CloseStatementRequest q -> service.apply(q);
      case Service.OpenConnectionRequest q -> service.apply(q);
      case Service.CloseConnectionRequest q -> service.apply(q);
      case Service.ConnectionSyncRequest q -> service.apply(q);
      case Service.DatabasePropertyRequest q -> service.apply(q);
      case Service.CommitRequest q -> service.apply(q);
      case Service.RollbackRequest q -> service.apply(q);
      case Service.PrepareAndExecuteBatchRequest q -> service.apply(q);
      case Service.ExecuteBatchRequest q -> service.apply(q);
      default -> throw new IllegalArgumentException(
          "unknown Avatica request " + r.getClass().getSimpleName());
    };
  }

  /**
   * The request's body: read into an array of its announced length (readAllBytes would fill a
   * 16 KB buffer and copy it, per request), or to its end when no length is announced.
   */
  static byte[] body(HttpServletRequest request) throws IOException {
    int length = request.getContentLength();
    if (length < 0) {
      return request.getInputStream().readAllBytes();
    }
    byte[] body = request.getInputStream().readNBytes(length);
    if (body.length < length) {
      throw new IOException("the body ended after " + body.length + " of its " + length
          + " bytes");
    }
    return body;
  }

  private static void answer(HttpServletResponse response, int status, String type, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(type);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
