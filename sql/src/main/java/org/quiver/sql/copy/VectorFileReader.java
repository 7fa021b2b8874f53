package org.quiver.sql.copy;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.schema.CollectionSchema;

/**
 * Rows of an {@code .fvecs} or {@code .npy} file (2-d float32/float64 array, C order): each
 * vector goes into the table's vector column, and the primary key (BIGINT) gets generated ids
 * counting from {@code id_start}. Other columns are NULL.
 */
final class VectorFileReader implements RowReader {
  /** Bytes of a .npy header at most: numpy writes a few hundred. */
  private static final int MAX_NPY_HEADER = 1 << 16;
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\s*,?\\)");
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)(f4|f8)'");

  private final CollectionSchema schema;
  private final int vectorColumn;
  private final int idColumn;
  private long nextId;
  private long count;
  // fvecs
  private final VectorFiles.FvecsReader fvecs;
  // npy
  private final DataInputStream npy;
  private final int npyDimension;
  private final boolean npyDoubles;
  private final long npyRows;
  private long npyPosition;

  private VectorFileReader(CollectionSchema schema, int vectorColumn, long idStart,
      VectorFiles.FvecsReader fvecs, DataInputStream npy, int npyDimension, boolean npyDoubles,
      long npyRows, long headerBytes) {
    this.schema = schema;
    this.vectorColumn = vectorColumn;
    this.idColumn = schema.primaryKeyIndex();
    this.nextId = idStart;
    this.fvecs = fvecs;
    this.npy = npy;
    this.npyDimension = npyDimension;
    this.npyDoubles = npyDoubles;
    this.npyRows = npyRows;
    this.npyPosition = headerBytes;
  }

  static VectorFileReader fvecs(Path file, CollectionSchema schema, int vectorColumn,
      long idStart) throws IOException {
    return new VectorFileReader(schema, vectorColumn, idStart, new VectorFiles.FvecsReader(file),
        null, 0, false, -1, 0);
  }

  static VectorFileReader npy(Path file, CollectionSchema schema, int vectorColumn, long idStart)
      throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file),
        1 << 16));
    try {
      byte[] magic = new byte[6];
      in.readFully(magic);
      if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII)
          .equals("NUMPY")) {
        throw bad(file, "it does not start with the .npy magic string");
      }
      int major = in.readUnsignedByte();
      in.readUnsignedByte();
      int headerLength;
      int prefix;
      if (major == 1) {
        headerLength = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        prefix = 10;
      } else {
        headerLength = Integer.reverseBytes(in.readInt());
        prefix = 12;
      }
      if (headerLength < 1 || headerLength > MAX_NPY_HEADER) {
        throw bad(file, "its header length " + headerLength + " is not in [1, "
            + MAX_NPY_HEADER + "]");
      }
      byte[] header = new byte[headerLength];
      in.readFully(header);
      String dict = new String(header, StandardCharsets.ISO_8859_1);
      if (dict.contains("'fortran_order': True")) {
        throw bad(file, "it is in Fortran order; save it in C order");
      }
      Matcher descr = DESCR.matcher(dict);
      Matcher shape = SHAPE.matcher(dict);
      if (!descr.find() || descr.group(1).equals(">")) {
        throw bad(file, "its dtype is not little-endian float32 or float64: " + dict.strip());
      }
      if (!shape.find()) {
        throw bad(file, "it is not a 2-d array (rows, dimensions): " + dict.strip());
      }
      if (shape.group(2).length() > 6 || Integer.parseInt(shape.group(2)) < 1) {
        throw bad(file, "its dimension " + shape.group(2) + " is not a vector dimension");
      }
      return new VectorFileReader(schema, vectorColumn, idStart, null, in,
          Integer.parseInt(shape.group(2)), descr.group(2).equals("f8"),
          Long.parseLong(shape.group(1)), prefix + headerLength);
    } catch (EOFException e) {
      in.close();
      throw bad(file, "it ends inside its header");
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static QuiverException bad(Path file, String why) {
    return QuiverException.of(ErrorCode.BAD_COPY_FILE_FORMAT,
        "%s is not a usable .npy file: %s", file, why);
  }

  @Override
  public Object[] next() throws IOException {
    float[] vector;
    if (fvecs != null) {
      vector = fvecs.next();
    } else {
      vector = npyNext();
    }
    if (vector == null) {
      return null;
    }
    count++;
    Object[] row = new Object[schema.size()];
    row[vectorColumn] = vector;
    if (!schema.primaryKey().autoId()) {
      // An assigned key is left NULL for the engine to fill from its allocator.
      row[idColumn] = nextId++;
    }
    return row;
  }

  private float[] npyNext() throws IOException {
    if (count >= npyRows) {
      return null;
    }
    int width = npyDoubles ? Double.BYTES : Float.BYTES;
    byte[] body = new byte[npyDimension * width];
    try {
      npy.readFully(body);
    } catch (EOFException e) {
      throw new EOFException("row " + (count + 1) + " of " + npyRows + " is cut short: the .npy "
          + "file ends early");
    }
    npyPosition += body.length;
    ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[npyDimension];
    for (int i = 0; i < npyDimension; i++) {
      v[i] = npyDoubles ? (float) buf.getDouble() : buf.getFloat();
    }
    return v;
  }

  @Override
  public String where() {
    return "vector " + count;
  }

  @Override
  public long position() {
    return fvecs != null ? fvecs.position() : npyPosition;
  }

  @Override
  public void close() throws IOException {
    if (fvecs != null) {
      fvecs.close();
    }
    if (npy != null) {
      npy.close();
    }
  }
}
