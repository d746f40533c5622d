package io.rnnserving.engine;

import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RowProductsTest {

    @Test
    void equalsEjmlMultAddBitForBitAtRecurrentSizes() {
        Random random = new Random(3);
        for (int[] shape : new int[][] {{7, 32, 256}, {5, 256, 256}, {4, 17, 15}, {3, 64, 100}}) {
            int rows = shape[0];
            int inner = shape[1];
            int cols = shape[2];
            DMatrixRMaj a = RandomMatrices_DDRM.rectangle(rows, inner, -1, 1, random);
            DMatrixRMaj b = RandomMatrices_DDRM.rectangle(inner, cols, -1, 1, random);
            DMatrixRMaj expected = RandomMatrices_DDRM.rectangle(rows, cols, -1, 1, random);
            double[] actual = expected.data.clone();
            CommonOps_DDRM.multAdd(a, b, expected);

            int r = 0;
            for (; r + 1 < rows; r += 2) {
                RowProducts.addTwoRowsTimes(a.data, r * inner, (r + 1) * inner, inner, b.data, cols, actual,
                        r * cols, (r + 1) * cols);
            }
            if (r < rows) {
                RowProducts.addRowTimes(a.data, r * inner, inner, b.data, cols, actual, r * cols);
            }
            assertThat(actual).as("%d×%d·%d×%d", rows, inner, inner, cols).containsExactly(expected.data);
        }
    }
}
