package io.rnnserving.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rnnserving.engine.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonModelReaderTest {
    @TempDir
    Path dir;

    private String defaultModelJson() throws IOException {
        try (var in = getClass().getResourceAsStream(ModelFileReader.DEFAULT_MODEL_RESOURCE)) {
            return new String(in.readAllBytes());
        }
    }

    private Path write(String json) throws IOException {
        Path file = dir.resolve("model.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void readsTheDefaultModelFromAFileLikeFromTheClasspath() throws IOException {
        LoadedModel fromFile = ModelFileReader.read(write(defaultModelJson()), null);
        LoadedModel embedded = ModelFileReader.readDefault();
        assertThat(fromFile.model().parameterCount()).isEqualTo(57);
        assertThat(fromFile.sha256()).isEqualTo(embedded.sha256());
        assertThat(fromFile.fileKind()).isEqualTo("rnn-serving JSON");
    }

    @Test
    void theDtypeIsFloat32UnlessTheFileSaysFloat64() throws IOException {
        LoadedModel embedded = ModelFileReader.readDefault();
        assertThat(embedded.model().precision()).isEqualTo(Precision.FLOAT32);
        assertThat(embedded.savedDtype()).isEqualTo("float32");
        String float64 = defaultModelJson().replaceFirst("\\{", "{\"dtype\": \"float64\", ");
        LoadedModel read = ModelFileReader.read(write(float64), null);
        assertThat(read.model().precision()).isEqualTo(Precision.FLOAT64);
        assertThat(read.savedDtype()).isEqualTo("float64");
        assertThat(read.computedIn(Precision.FLOAT32).model().precision()).isEqualTo(Precision.FLOAT32);
        Path int8 = write(defaultModelJson().replaceFirst("\\{", "{\"dtype\": \"int8\", "));
        assertThatThrownBy(() -> ModelFileReader.read(int8, null)).hasMessageStartingWith(int8 + ": dtype unsupported "
                + "dtype 'int8'");
    }

    @Test
    void biasMayBeAbsent() throws IOException {
        String json = defaultModelJson().replace("\"bias\": [0.0, 0.0, 0.0, 0.0, 0.0]", "\"bias\": null");
        assertThat(ModelFileReader.read(write(json), null).model().parameterCount()).isEqualTo(52);
    }

    @Test
    void denseKernelThatDoesNotFitTheRecurrentLayerIsNamed() throws IOException {
        String json = defaultModelJson().replace("[[0.5, -0.3], [0.1, 0.8], [-0.6, 0.2], [0.4, 0.4], [-0.2, -0.7]]",
                "[[0.5, -0.3], [0.1, 0.8], [-0.6, 0.2], [0.4, 0.4]]");
        Path file = write(json);
        assertThatThrownBy(() -> ModelFileReader.read(file, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(file + ": layers[1].kernel is 4×2 but the layer before gives 5 values and the Dense has 2 units");
    }

    @Test
    void recurrentKernelOfTheWrongSizeIsNamed() throws IOException {
        String json = defaultModelJson().replace("[0.41877976, -0.50861543, 0.65639263, -0.35927662, -0.07747886]", "")
                .replace("[-0.07747886]", "");
        Path file = write(json.replace("-0.22280595],\n        \n", "-0.22280595]\n"));
        assertThatThrownBy(() -> ModelFileReader.read(file, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("layers[0].recurrentKernel is 4×5 but the SimpleRNN has 5 units");
    }

    @Test
    void nanWeightIsRefused() throws IOException {
        Path file = write(defaultModelJson().replace("0.06160122", "NaN"));
        assertThatThrownBy(() -> ModelFileReader.read(file, null)).isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(file + ": not valid JSON");
        Path huge = write(defaultModelJson().replace("0.06160122", "1e999"));
        assertThatThrownBy(() -> ModelFileReader.read(huge, null)).isInstanceOf(ModelLoadException.class)
                .hasMessage(huge + ": layers[0].kernel[0][0] is Infinity; weights must be finite");
    }

    @Test
    void missingTruncatedAndUnknownFilesAreOneLine() throws IOException {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ModelFileReader.read(missing, null)).hasMessage(missing + ": no such file");
        Path truncated = write(defaultModelJson().substring(0, 300));
        assertThatThrownBy(() -> ModelFileReader.read(truncated, null)).hasMessageStartingWith(truncated + ": not valid JSON")
                .message().doesNotContain("\n");
        Path binary = dir.resolve("model.bin");
        Files.write(binary, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ModelFileReader.read(binary, null)).hasMessageStartingWith(binary + ": not a model file");
        assertThatThrownBy(() -> ModelFileReader.read(dir, null)).hasMessage(dir + ": is a directory, not a model file");
    }

    @Test
    void unsupportedLayerTypeIsNamed() throws IOException {
        Path file = write(defaultModelJson().replace("\"type\": \"SimpleRNN\"", "\"type\": \"Conv1D\""));
        assertThatThrownBy(() -> ModelFileReader.read(file, null))
                .hasMessage(file + ": layers[0].type is 'Conv1D'; supported: " + JsonModelReader.SUPPORTED);
    }
}
