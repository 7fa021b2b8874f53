package org.quiver.storage.object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.quiver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on S3 or an S3-compatible server (MinIO, S3Proxy, ...) through the AWS
 * SDK v2 with the JDK's HTTP client, for cluster mode: every key lives under {@link
 * S3Settings#prefix} in one bucket, so several clusters (or tests) share a bucket.
 *
 * <p>Each object carries its CRC32C as user metadata ({@code x-amz-meta-crc32c}, 8 hex digits),
 * set when it is written and checked on every whole read; an object without it was not written
 * here and is reported corrupt. An object above {@link S3Settings#multipartThreshold} goes up as
 * a multipart upload (aborted if a part fails), so no single request carries more than a part.
 * The SDK's own checksums are asked for only where S3 requires them, which keeps the store usable
 * against servers that do not know the newer checksum headers.
 *
 * <p>Every request is retried at most {@link S3Settings#maxAttempts} times and bounded by the
 * connect, attempt and call timeouts; a failure is a {@link StorageException} naming the key and
 * the location, never a silent success. Thread-safe: the SDK client is shared by all callers.
 */
public final class S3ObjectStore implements ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
  /** The user-metadata name of the CRC32C (the header is {@code x-amz-meta-crc32c}). */
  public static final String CRC_METADATA = "crc32c";
  private static final int DELETE_BATCH = 1000;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final S3Client s3;
  private final S3Settings settings;
  private final String bucket;
  private final String root;
  private volatile boolean closed;

  private S3ObjectStore(S3Client s3, S3Settings settings) {
    this.s3 = s3;
    this.settings = settings;
    this.bucket = settings.bucket();
    this.root = settings.prefix();
  }

  /**
   * Connects and checks that the bucket can be reached.
   *
   * @throws StorageException if the endpoint does not answer or the bucket is missing or refused
   */
  public static S3ObjectStore open(S3Settings settings) {
    S3Client client = client(settings);
    try {
      client.headBucket(b -> b.bucket(settings.bucket()));
    } catch (SdkException e) {
      client.close();
      throw new StorageException(
          "cannot reach bucket " + settings.bucket() + " of " + settings.location() + ": "
              + describe(e),
          e);
    }
    LOG.info("object store opened {}", settings);
    return new S3ObjectStore(client, settings);
  }

  /** An SDK client as the store configures it: for tools and tests that talk to the same S3. */
  public static S3Client client(S3Settings settings) {
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.attemptTimeout()))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(r -> r.maxAttempts(settings.maxAttempts()))
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .apiCallTimeout(settings.callTimeout()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    if (settings.accessKey() != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder.build();
  }

  /** The settings this store was opened with. */
  public S3Settings settings() {
    return settings;
  }

  @Override
  public ObjectInfo put(String key, Path file) {
    ensureOpen();
    ObjectKeys.check(key);
    ObjectInfo info;
    try {
      info = ObjectKeys.describe(key, file);
    } catch (NoSuchFileException e) {
      throw new StorageException("cannot put " + key + ": no file " + file, file, e);
    } catch (IOException e) {
      throw new StorageException("cannot put " + key + ": cannot read " + file, file, e);
    }
    if (info.size() > settings.multipartThreshold()) {
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        uploadInParts(
            info,
            (offset, length) -> {
              byte[] part = new byte[length];
              ByteBuffer buf = ByteBuffer.wrap(part);
              while (buf.hasRemaining()) {
                if (in.read(buf, offset + buf.position()) < 0) {
                  throw new StorageException(
                      "cannot put " + key + ": " + file + " shrank while it was uploaded", file, null);
                }
              }
              return part;
            });
      } catch (IOException e) {
        throw new StorageException("cannot put " + key + ": cannot read " + file, file, e);
      }
    } else {
      call("put", key, () -> s3.putObject(b -> b.bucket(bucket).key(root + key)
          .contentLength(info.size()).metadata(metadata(info)), RequestBody.fromFile(file)));
    }
    return info;
  }

  @Override
  public ObjectInfo put(String key, byte[] bytes) {
    ensureOpen();
    ObjectKeys.check(key);
    ObjectInfo info = new ObjectInfo(key, bytes.length, ObjectKeys.crc32c(bytes));
    if (info.size() > settings.multipartThreshold()) {
      uploadInParts(info, (offset, length) -> {
        byte[] part = new byte[length];
        System.arraycopy(bytes, (int) offset, part, 0, length);
        return part;
      });
    } else {
      call("put", key, () -> s3.putObject(b -> b.bucket(bucket).key(root + key)
          .contentLength(info.size()).metadata(metadata(info)), body(bytes, 0, bytes.length)));
    }
    return info;
  }

  @FunctionalInterface
  private interface Parts {
    byte[] read(long offset, int length) throws IOException;
  }

  /** A multipart upload, aborted if any part or the completion fails. */
  private void uploadInParts(ObjectInfo info, Parts parts) {
    String key = info.key();
    String uploadId =
        call("start a multipart upload of", key, () -> s3.createMultipartUpload(
            b -> b.bucket(bucket).key(root + key).metadata(metadata(info)))).uploadId();
    try {
      List<CompletedPart> done = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < info.size(); offset += settings.partSize(), number++) {
        int length = (int) Math.min(settings.partSize(), info.size() - offset);
        byte[] part = parts.read(offset, length);
        int n = number;
        String etag =
            call("upload part " + n + " of", key, () -> s3.uploadPart(
                b -> b.bucket(bucket).key(root + key).uploadId(uploadId).partNumber(n)
                    .contentLength((long) length), body(part, 0, length))).eTag();
        done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      call("complete the multipart upload of", key, () -> s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(root + key).uploadId(uploadId)
              .multipartUpload(m -> m.parts(done))));
      LOG.debug("put {} in {} parts", key, done.size());
    } catch (RuntimeException | IOException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(root + key).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      if (e instanceof IOException io) {
        throw new StorageException("cannot put " + key + " in " + settings.location(), io);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  public ObjectInfo get(String key, Path target) {
    ensureOpen();
    ObjectKeys.check(key);
    Path temp = null;
    try {
      Path folder = target.toAbsolutePath().getParent();
      temp = Files.createTempFile(folder, ".get-", ".tmp");
      ObjectInfo recorded;
      CRC32C crc = new CRC32C();
      long size = 0;
      try (ResponseInputStream<GetObjectResponse> in = open(key);
          FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        recorded = recorded(key, in.response().contentLength(), in.response().metadata());
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = in.read(buf)) >= 0) {
          crc.update(buf, 0, n);
          ByteBuffer src = ByteBuffer.wrap(buf, 0, n);
          while (src.hasRemaining()) {
            out.write(src);
          }
          size += n;
        }
        out.force(true);
      } catch (SdkException e) {
        throw failure("get", key, e);
      }
      check(recorded, size, (int) crc.getValue());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      return recorded;
    } catch (IOException e) {
      throw new StorageException(
          "cannot get " + key + " from " + settings.location() + " to " + target, target, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The failure being reported matters more than a leftover temporary file.
        }
      }
    }
  }

  @Override
  public byte[] getBytes(String key) {
    ensureOpen();
    ObjectKeys.check(key);
    try (ResponseInputStream<GetObjectResponse> in = open(key)) {
      ObjectInfo recorded = recorded(key, in.response().contentLength(), in.response().metadata());
      if (recorded.size() > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            key + " has " + recorded.size() + " bytes, too many for an array: use get to a file");
      }
      byte[] bytes = in.readAllBytes();
      check(recorded, bytes.length, ObjectKeys.crc32c(bytes));
      return bytes;
    } catch (SdkException e) {
      throw failure("get", key, e);
    } catch (IOException e) {
      throw new StorageException("cannot get " + key + " from " + settings.location(), e);
    }
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    ensureOpen();
    ObjectKeys.check(key);
    ObjectKeys.checkRange(key, offset, length);
    if (length == 0) {
      ObjectInfo info = stat(key).orElseThrow(() -> notFound(key));
      ObjectKeys.checkRangeInside(key, offset, length, info.size());
      return new byte[0];
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(bucket).key(root + key).range(range))) {
      long start = rangeStart(key, in.response());
      long total = totalSize(key, in.response());
      ObjectKeys.checkRangeInside(key, offset, length, total);
      if (start < 0) {
        // The server ignored the range and sends the whole object.
        in.skipNBytes(offset);
      } else if (start != offset) {
        throw new StorageException(
            "a range of " + key + " from " + offset + " came back from " + start, null);
      }
      byte[] bytes = in.readNBytes(length);
      if (bytes.length != length) {
        throw new StorageException(
            "a range of " + key + " in " + settings.location() + " ended after " + bytes.length
                + " of " + length + " bytes",
            null);
      }
      return bytes;
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        long size = stat(key).orElseThrow(() -> notFound(key)).size();
        ObjectKeys.checkRangeInside(key, offset, length, size);
      }
      throw failure("read a range of", key, e);
    } catch (SdkException e) {
      throw failure("read a range of", key, e);
    } catch (IOException e) {
      throw new StorageException(
          "cannot read a range of " + key + " from " + settings.location(), e);
    }
  }

  /** Where the returned bytes start in the object; -1 if the whole object came back. */
  private static long rangeStart(String key, GetObjectResponse response) {
    Matcher m = contentRange(key, response);
    return m == null ? -1 : Long.parseLong(m.group(1));
  }

  /** The object's size, from the Content-Range of a range read. */
  private static long totalSize(String key, GetObjectResponse response) {
    Matcher m = contentRange(key, response);
    return m == null ? response.contentLength() : Long.parseLong(m.group(3));
  }

  private static Matcher contentRange(String key, GetObjectResponse response) {
    String contentRange = response.contentRange();
    if (contentRange == null) {
      return null;
    }
    Matcher m = CONTENT_RANGE.matcher(contentRange);
    if (!m.matches()) {
      throw new StorageException(
          "a range of " + key + " came back with Content-Range '" + contentRange + "'", null);
    }
    return m;
  }

  @Override
  public Optional<ObjectInfo> stat(String key) {
    ensureOpen();
    ObjectKeys.check(key);
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(root + key));
      return Optional.of(recorded(key, head.contentLength(), head.metadata()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("stat", key, e);
    } catch (SdkException e) {
      throw failure("stat", key, e);
    }
  }

  @Override
  public List<ObjectEntry> list(String prefix) {
    ensureOpen();
    ObjectKeys.checkPrefix(prefix);
    List<ObjectEntry> entries = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(root + prefix)).contents()) {
        entries.add(new ObjectEntry(o.key().substring(root.length()), o.size()));
      }
    } catch (SdkException e) {
      throw failure("list", prefix + "*", e);
    }
    entries.sort((a, b) -> ObjectKeys.ORDER.compare(a.key(), b.key()));
    return entries;
  }

  @Override
  public void delete(String key) {
    ensureOpen();
    ObjectKeys.check(key);
    call("delete", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(root + key)));
  }

  @Override
  public int deletePrefix(String prefix) {
    List<ObjectEntry> entries = list(prefix);
    for (int from = 0; from < entries.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> batch =
          entries.subList(from, Math.min(entries.size(), from + DELETE_BATCH)).stream()
              .map(e -> ObjectIdentifier.builder().key(root + e.key()).build())
              .toList();
      DeleteObjectsResponse r =
          call("delete", prefix + "*", () -> s3.deleteObjects(
              b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true))));
      if (r.hasErrors() && !r.errors().isEmpty()) {
        var first = r.errors().getFirst();
        throw new StorageException(
            "cannot delete " + r.errors().size() + " objects under " + prefix + " in "
                + settings.location() + ", the first " + first.key() + ": " + first.code() + " "
                + first.message(),
            null);
      }
    }
    return entries.size();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      s3.close();
    }
  }

  @Override
  public String toString() {
    return "S3 store " + settings.location();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private ResponseInputStream<GetObjectResponse> open(String key) {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(root + key));
    } catch (SdkException e) {
      throw failure("get", key, e);
    }
  }

  private static Map<String, String> metadata(ObjectInfo info) {
    return Map.of(CRC_METADATA, info.crc32cHex());
  }

  private static RequestBody body(byte[] bytes, int offset, int length) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(bytes, offset, length), length, "application/octet-stream");
  }

  /** The size and CRC32C the object was written with, from its metadata. */
  private ObjectInfo recorded(String key, Long size, Map<String, String> metadata) {
    String hex = metadata == null ? null : metadata.get(CRC_METADATA);
    if (hex == null) {
      throw new CorruptObjectException(
          toString(), key, "has no " + CRC_METADATA + " metadata: it was not written by Quiver");
    }
    try {
      return new ObjectInfo(key, size == null ? 0 : size, ObjectKeys.parseHex(hex));
    } catch (NumberFormatException e) {
      throw new CorruptObjectException(
          toString(), key, CRC_METADATA + " metadata '" + hex + "' is not 8 hex digits");
    }
  }

  private void check(ObjectInfo recorded, long size, int crc) {
    if (size != recorded.size()) {
      throw new CorruptObjectException(
          toString(), recorded.key(), "read " + size + " bytes, " + recorded.size() + " expected");
    }
    if (crc != recorded.crc32c()) {
      throw new CorruptObjectException(
          toString(),
          recorded.key(),
          "crc32c is " + ObjectKeys.hex(crc) + ", " + recorded.crc32cHex() + " was written");
    }
  }

  private <T> T call(String what, String key, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw failure(what, key, e);
    }
  }

  private ObjectNotFoundException notFound(String key) {
    return new ObjectNotFoundException(toString(), key);
  }

  private StorageException failure(String what, String key, SdkException e) {
    if (e instanceof S3Exception s
        && s.statusCode() == 404
        && !"NoSuchBucket".equals(code(s))
        && !"NoSuchUpload".equals(code(s))) {
      return notFound(key);
    }
    return new StorageException(
        "cannot " + what + " " + key + " in " + settings.location() + ": " + describe(e), e);
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  private static String describe(SdkException e) {
    if (e instanceof S3Exception s) {
      return "HTTP " + s.statusCode() + (code(s) == null ? "" : " " + code(s)) + ": "
          + s.getMessage();
    }
    return e.getMessage();
  }
}
