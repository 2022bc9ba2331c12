package io.pretrain4j.formats.safetensors;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.SafetensorsDType;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A safetensors file opened for reading: header validated up front, tensor data read with
 * positional reads in bounded windows, so files of any size (well over 2 GiB) are read without
 * loading them into the heap. Floating types are widened to F32 in Java (BF16 and F16 never reach a
 * native library that might mishandle them).
 *
 * <p>No memory map and no direct buffer of its own: a mapped window is unmapped, and a direct buffer
 * freed, only when the garbage collector gets round to it, so a validator loading model after model
 * grew by the size of every file it read (issue 20). F32 on a little-endian machine is read straight
 * into the caller's buffer; other types go through one heap window of at most
 * {@value #READ_WINDOW_BYTES} bytes per call. Concurrent reads of one instance are safe (positional
 * reads; callers own their destination buffers).
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The largest window read at once for a type that is converted. */
    static final int READ_WINDOW_BYTES = 4 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataOffset;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, FileChannel channel, long dataOffset, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.dataOffset = dataOffset;
        this.header = header;
    }

    /** Opens and validates {@code path}. */
    public static SafetensorsFile open(Path path) {
        requireNonNull(path, "path is null");
        String source = path.toString();
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new Pretrain4jException(DomainErrorCode.MODEL_FILES_UNREADABLE, source + ": cannot open: " + e, e);
        }
        try {
            long size = channel.size();
            if (size < 8) {
                throw SafetensorsHeader.invalid(
                        source, "file is " + size + " bytes, too short for the 8-byte header length [HeaderTooSmall]");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, prefix, 0);
            long headerLength = SafetensorsHeader.checkedHeaderLength(prefix.getLong(0), size, source);
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            long dataOffset = 8 + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(headerBytes.array(), size - dataOffset, source);
            return new SafetensorsFile(path, channel, dataOffset, header);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new Pretrain4jException(DomainErrorCode.MODEL_FILES_UNREADABLE, source + ": cannot read: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The validated header. */
    public SafetensorsHeader header() {
        return header;
    }

    /** The tensor named {@code name}, or an error naming the file. */
    public TensorEntry tensor(String name) {
        TensorEntry entry = header.tensors().get(name);
        if (entry == null) {
            throw SafetensorsHeader.invalid(path.toString(), "has no tensor '" + name + "'");
        }
        return entry;
    }

    /** Whether {@link #readFloats} converts tensors of {@code dtype} (as torch's {@code .to(float32)} does). */
    public static boolean convertible(SafetensorsDType dtype) {
        return dtype.floating()
                || dtype.integral()
                || dtype == SafetensorsDType.F8_E4M3
                || dtype == SafetensorsDType.F8_E5M2;
    }

    /**
     * Reads {@code count} elements of a tensor, starting at element {@code first}, converted to F32
     * in native byte order, into {@code destination} at its position (which advances). Floats are
     * widened (F64 rounded to nearest), integers and booleans converted as torch's {@code .to(float32)}
     * converts them (round to nearest even), 8-bit floats (E4M3, E5M2) decoded exactly.
     */
    public void readFloats(TensorEntry entry, long first, int count, ByteBuffer destination) {
        requireNonNull(entry, "entry is null");
        if (!convertible(entry.dtype())) {
            throw SafetensorsHeader.invalid(
                    path.toString(),
                    "tensor '" + entry.name() + "' has dtype " + entry.dtype()
                            + ", which pretrain4j does not convert to floats");
        }
        if (first < 0 || count < 0 || first + count > entry.elementCount()) {
            throw new IllegalArgumentException("elements " + first + "+" + count + " outside " + entry);
        }
        if (destination.remaining() < (long) count * Float.BYTES) {
            throw new IllegalArgumentException(
                    "destination has room for " + destination.remaining() / 4 + " floats, not " + count);
        }
        int width = entry.dtype().bytes(); // every convertible type is whole bytes
        long position = dataOffset + entry.begin() + first * width;
        if (entry.dtype() == SafetensorsDType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            ByteBuffer target = destination.slice().limit(count * Float.BYTES);
            read(entry, target, position);
            destination.position(destination.position() + count * Float.BYTES);
            return;
        }
        int maxElementsPerWindow = READ_WINDOW_BYTES / width;
        ByteBuffer window = ByteBuffer.allocate(Math.min(count, maxElementsPerWindow) * width)
                .order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(count - done, maxElementsPerWindow);
            window.clear().limit(n * width);
            read(entry, window, position + done * width);
            window.flip();
            ByteBuffer out = destination.slice().order(ByteOrder.nativeOrder());
            widen(entry.dtype(), window, out, n);
            destination.position(destination.position() + n * Float.BYTES);
            done += n;
        }
    }

    private void read(TensorEntry entry, ByteBuffer target, long position) {
        try {
            readFully(channel, target, position);
        } catch (EOFException e) {
            // the header was checked against the file's size: the file was truncated while we read it
            throw SafetensorsHeader.invalid(
                    path.toString(),
                    "file changed while reading tensor '" + entry.name() + "' (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.MODEL_FILES_UNREADABLE,
                    path + ": cannot read tensor '" + entry.name() + "': " + e,
                    e);
        }
    }

    /** Reads a whole floating tensor (at most 2^31-1 elements) into a new heap array. */
    public float[] readFloats(TensorEntry entry) {
        long count = entry.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(entry + " is too large for one array");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) count * Float.BYTES).order(ByteOrder.nativeOrder());
        readFloats(entry, 0, (int) count, buffer);
        float[] result = new float[(int) count];
        buffer.flip();
        buffer.asFloatBuffer().get(result);
        return result;
    }

    private static void widen(SafetensorsDType dtype, ByteBuffer in, ByteBuffer out, int n) {
        FloatBuffer floats = out.asFloatBuffer();
        switch (dtype) {
            case F32 -> floats.put(in.asFloatBuffer().limit(n));
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, (float) in.getDouble(i * 8));
                }
            }
            case BF16 -> {
                ShortBuffer shorts = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    floats.put(i, Float.intBitsToFloat((shorts.get(i) & 0xFFFF) << 16));
                }
            }
            case F16 -> {
                ShortBuffer shorts = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    floats.put(i, Float.float16ToFloat(shorts.get(i)));
                }
            }
            case BOOL, U8 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, in.get(i) & 0xFF);
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, in.get(i));
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, in.getShort(i * 2));
                }
            }
            case U16 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, in.getShort(i * 2) & 0xFFFF);
                }
            }
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, (float) in.getInt(i * 4));
                }
            }
            case U32 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, (float) (in.getInt(i * 4) & 0xFFFFFFFFL));
                }
            }
            case I64 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, (float) in.getLong(i * 8));
                }
            }
            case U64 -> {
                for (int i = 0; i < n; i++) {
                    long v = in.getLong(i * 8);
                    floats.put(i, v >= 0 ? (float) v : new BigDecimal(Long.toUnsignedString(v)).floatValue());
                }
            }
            case F8_E5M2 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, Float.float16ToFloat((short) ((in.get(i) & 0xFF) << 8)));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, e4m3(in.get(i) & 0xFF));
                }
            }
            default -> throw new IllegalStateException("not convertible: " + dtype);
        }
    }

    /** float8 E4M3 "fn" (torch.float8_e4m3fn): bias 7, no infinities, S.1111.111 is NaN. */
    static float e4m3(int bits) {
        int sign = bits >>> 7;
        int exponent = bits >>> 3 & 0xF;
        int mantissa = bits & 0x7;
        float value;
        if (exponent == 0xF && mantissa == 0x7) {
            return Float.NaN;
        } else if (exponent == 0) {
            value = mantissa / 8f * 0x1p-6f;
        } else {
            value = (1 + mantissa / 8f) * Math.scalb(1f, exponent - 7);
        }
        return sign == 1 ? -value : value;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException("unexpected end of file at byte " + at);
            }
            at += read;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to add to the error being raised
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
