package io.rnnserving.kserve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import io.rnnserving.protocol.json.InputNumbers;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;

/**
 * The wire format of the binary tensor data extension: a body of {@value #HEADER} bytes of JSON followed by the raw
 * bytes of tensors, each little-endian and row-major, in the order the JSON lists them.
 */
final class BinaryTensorData {
    /** The extension's name in the server metadata, as Triton and KServe report it. */
    static final String EXTENSION = "binary_tensor_data";
    static final String HEADER = "Inference-Header-Content-Length";

    /** The bytes of one value of each datatype read and written as binary data. */
    private static final Map<String, Integer> BYTE_SIZES = Map.of(
            Tensors.FP32, Float.BYTES, Tensors.FP64, Double.BYTES, Tensors.INT32, Integer.BYTES, Tensors.INT64, Long.BYTES);
    static final String DATATYPES = "FP32, FP64, INT32 or INT64";

    /** Values are converted through a buffer of this size, so the body is never held whole. */
    private static final int CHUNK_BYTES = 64 * 1024;

    private BinaryTensorData() {
    }

    /** The size of one value of {@code datatype}, or 0 for a datatype not read as binary data here. */
    static int byteSize(String datatype) {
        return BYTE_SIZES.getOrDefault(datatype, 0);
    }

    /**
     * The length of the JSON at the start of the body, from the header's value.
     *
     * @param contentLength the body's declared length, -1 when it declares none (chunked)
     */
    static long jsonLength(String header, long contentLength) {
        if (!header.matches("[0-9]+")) {
            String shown = header.length() > 40 ? header.substring(0, 40) + "…" : header;
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "the header " + HEADER + " is '" + shown
                    + "'; it must be a non-negative integer: the length in bytes of the JSON at the start of the body");
        }
        // more digits than a long holds is more than any body: the checks below refuse it as such
        long length = header.length() > 18 ? Long.MAX_VALUE : Long.parseLong(header);
        if (contentLength >= 0 && length > contentLength) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "the header " + HEADER + " gives "
                    + header + " bytes of JSON, but the whole body is " + contentLength + " bytes");
        }
        return length;
    }

    /** The first {@code length} bytes of {@code body}, leaving the rest of it to be read after. */
    static InputStream jsonPart(InputStream body, long length) {
        return new JsonPart(body, length);
    }

    /**
     * Reads {@code count} values of {@code datatype} from {@code body} into a new array: FP32 into floats, bit for
     * bit (a float32 model takes them without conversion), the others into doubles; floating-point values must be
     * what the JSON path allows.
     *
     * @param name    the input's name, for problems
     * @param pointer the input's JSON pointer, for problems
     */
    static InputValues read(InputStream body, String datatype, int count, String name, String pointer) {
        int size = byteSize(datatype);
        InputValues values = InputValues.zeros(datatype.equals(Tensors.FP32) ? Precision.FLOAT32 : Precision.FLOAT64,
                count);
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, (long) count * size)];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < count) {
            int batch = Math.min(chunk.length / size, count - done);
            int wanted = batch * size;
            int got;
            try {
                got = body.readNBytes(chunk, 0, wanted);
            } catch (IOException e) {
                throw new InvalidRequestException(ProblemKind.BAD_REQUEST, pointer,
                        "the body breaks off inside the binary data of input '" + name + "'");
            }
            if (got < wanted) {
                long have = (long) done * size + got;
                throw new InvalidRequestException(ProblemKind.BAD_REQUEST, pointer + "/parameters/binary_data_size",
                        "the body ends after " + have + " of the " + (long) count * size + " bytes of binary data of input '"
                                + name + "'");
            }
            if (values instanceof InputValues.Floats floats) {
                buffer.asFloatBuffer().get(0, floats.array(), done, batch);
            } else {
                double[] into = ((InputValues.Doubles) values).array();
                switch (datatype) {
                    case Tensors.FP64 -> buffer.asDoubleBuffer().get(0, into, done, batch);
                    case Tensors.INT32 -> {
                        for (int i = 0; i < batch; i++) {
                            into[done + i] = buffer.getInt(i * Integer.BYTES);
                        }
                    }
                    default -> {
                        for (int i = 0; i < batch; i++) {
                            into[done + i] = buffer.getLong(i * Long.BYTES);
                        }
                    }
                }
            }
            done += batch;
        }
        if (datatype.equals(Tensors.FP32) || datatype.equals(Tensors.FP64)) {
            requireAllowed(values, size, name, pointer);
        }
        return values;
    }

    /** Requires that {@code body} has nothing left after the last tensor. */
    static void expectEnd(InputStream body, long binaryBytes) {
        int next;
        try {
            next = body.read();
        } catch (IOException e) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "the body breaks off after its binary data");
        }
        if (next >= 0) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "the body has bytes left over after the "
                    + binaryBytes + " bytes of binary data that its inputs' binary_data_size add up to");
        }
    }

    /** Writes {@code values} ({@code float[]} or {@code double[]}) little-endian into {@code into} at its position. */
    static void write(Object values, ByteBuffer into) {
        ByteBuffer bytes = into.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (values instanceof float[] floats) {
            bytes.asFloatBuffer().put(floats);
            into.position(into.position() + floats.length * Float.BYTES);
        } else {
            double[] doubles = (double[]) values;
            bytes.asDoubleBuffer().put(doubles);
            into.position(into.position() + doubles.length * Double.BYTES);
        }
    }

    /** The number of bytes {@link #write} writes for {@code values}. */
    static long byteLength(Object values) {
        return values instanceof float[] floats ? (long) floats.length * Float.BYTES
                : (long) ((double[]) values).length * Double.BYTES;
    }

    private static void requireAllowed(InputValues values, int size, String name, String pointer) {
        for (int i = 0; i < values.length(); i++) {
            double value = values.get(i);
            if (!InputNumbers.allowed(value)) {
                throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer, "input '" + name + "', value " + i
                        + " (byte " + (long) i * size + " of its binary data): " + InputNumbers.refusal(value));
            }
        }
    }

    /** A view of the JSON part that ends where the header says, and leaves the body open for the binary data. */
    private static final class JsonPart extends InputStream {
        private final InputStream body;
        private final long length;
        private long remaining;

        JsonPart(InputStream body, long length) {
            this.body = body;
            this.length = length;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int b = body.read();
            if (b < 0) {
                throw endedEarly();
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = body.read(buffer, offset, (int) Math.min(count, remaining));
            if (n < 0) {
                throw endedEarly();
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() {
            // the binary data follows in the same stream
        }

        private InvalidRequestException endedEarly() {
            return new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "the body ends after "
                    + (length - remaining) + " bytes, before the " + length + " bytes of JSON that " + HEADER + " gives");
        }
    }
}
