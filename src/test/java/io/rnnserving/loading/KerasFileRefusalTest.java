package io.rnnserving.loading;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.rnnserving.loading.KerasFixtures.GENERATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files the service must not serve stop startup with one line naming the file and the problem. */
class KerasFileRefusalTest {

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "conv1d.keras|layer 'conv1d' (Conv1D) is not supported; supported layers: InputLayer, Embedding (first), "
                    + "Masking, SimpleRNN, LSTM, GRU",
            "recurrent/refused_conv1d_text.keras|layer 'conv1d' (Conv1D) is not supported; supported layers: ",
            "recurrent/refused_conv_lstm.keras|layer 'conv_lstm1d' (ConvLSTM1D) is not supported; supported layers: ",
            "recurrent/refused_attention.keras|layer 'attention' (Attention) takes 2 inputs [lstm, lstm]; supported: "
                    + "a single chain",
            "branching.keras|layer 'concatenate' (Concatenate) takes 2 inputs [simple_rnn, simple_rnn_1]; supported: a single chain"})
    void otherModelsAreRefusedInOneLineNamingTheLayerAndItsClass(String file, String reason) {
        Path path = GENERATED.resolve(file);
        assertThatThrownBy(() -> ModelFileReader.read(path, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(path + ": " + reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aWeightsOnlyFileWithoutConfigIsRefused() {
        Path path = GENERATED.resolve("rnn_tanh_dense.weights.h5");
        assertThatThrownBy(() -> ModelFileReader.read(path, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(path + ": a weights-only .h5")
                .hasMessageContaining("model.config (MODEL_CONFIG)");
    }

    @Test
    void aKerasConfigAloneIsRefused() {
        Path path = GENERATED.resolve("rnn_tanh_dense.config.json");
        assertThatThrownBy(() -> ModelFileReader.read(path, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(path + ": a Keras model config holds no weights; set model.path (MODEL_PATH) to the "
                        + "weights file (.weights.h5 or .h5) and model.config (MODEL_CONFIG) to this file");
    }

    @Test
    void weightsThatDisagreeWithTheConfigAreRefusedNamingTheLayer() {
        // named_layers is SimpleRNN(3) on 2 features; rnn_tanh_dense's weights are SimpleRNN(4) on 3
        Path weights = GENERATED.resolve("rnn_tanh_dense.weights.h5");
        assertThatThrownBy(() -> ModelFileReader.read(weights, GENERATED.resolve("named_layers.config.json")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(weights + ": layer 'encoder' (SimpleRNN): weight ")
                .hasMessageContaining("has shape [3, 4]")
                .hasMessageContaining("expected [2, 3]");
        assertThatThrownBy(() -> ModelFileReader.read(weights, GENERATED.resolve("stacked.config.json")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(weights + ": layer 'simple_rnn_1' (SimpleRNN): the weights file has no group "
                        + "'layers/simple_rnn_1/cell/vars'");
    }

    @Test
    void aNanWeightIsRefusedNamingTheLayer(@TempDir Path temp) throws IOException {
        byte[] bytes = Files.readAllBytes(GENERATED.resolve("rnn_tanh_dense.h5"));
        // the Dense bias is stored as plain little-endian float32: overwrite its first value with NaN
        Path nan = temp.resolve("nan.h5");
        float[] bias = denseBias(GENERATED.resolve("rnn_tanh_dense.h5"));
        int at = indexOf(bytes, littleEndian(bias));
        assertThat(at).as("the bias bytes are in the file").isPositive();
        ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        Files.write(nan, bytes);
        assertThatThrownBy(() -> ModelFileReader.read(nan, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(nan + ": layer 'dense': weight ")
                .hasMessageContaining("holds NaN")
                .hasMessageContaining("weights must be finite");
    }

    @ParameterizedTest
    @ValueSource(strings = {"combined.keras", "combined.h5"})
    void aTruncatedFileIsRefusedInOneLine(String file, @TempDir Path temp) throws IOException {
        byte[] bytes = Files.readAllBytes(GENERATED.resolve(file));
        Path truncated = temp.resolve("truncated-" + file);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelFileReader.read(truncated, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(truncated + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\tat "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"combined.keras", "combined.h5"})
    void aCorruptedFileIsRefusedInOneLine(String file, @TempDir Path temp) throws IOException {
        byte[] bytes = Files.readAllBytes(GENERATED.resolve(file));
        for (int i = 64; i < bytes.length; i += 7) {
            bytes[i] ^= 0x5A;
        }
        Path corrupted = temp.resolve("corrupted-" + file);
        Files.write(corrupted, bytes);
        assertThatThrownBy(() -> ModelFileReader.read(corrupted, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(corrupted + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anUnknownFileIsRefused(@TempDir Path temp) throws IOException {
        Path text = temp.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> ModelFileReader.read(text, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("a Keras 3 .keras archive, or a Keras HDF5 .h5 file");
    }

    private static float[] denseBias(Path legacyH5) {
        try (io.jhdf.HdfFile file = new io.jhdf.HdfFile(legacyH5)) {
            return (float[]) file.getDatasetByPath("model_weights/dense/rnn_tanh_dense/dense/bias").getDataFlat();
        }
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
