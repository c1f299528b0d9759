/* Max pooling on the CPU against a plain loop over each clipped window (the first maximum in
 * row-major order wins, padding never does, a ReLU-read non-positive maximum has no
 * gradient): planes from 1x1 to 9x8, sizes 1 to 5, strides 1 to 3, padding 0 to 2, with and
 * without the ReLU, with ties (values on a coarse grid) and a NaN. */
#include <float.h>
#include <math.h>
#include "relnas_test.h"
#include "local_pool.h"

static void reference(float *out, int *argmax, const float *in, relnas_pool_shape s)
{
    for (int p = 0; p < s.batch * s.channels; ++p)
        for (int oy = 0; oy < s.out_h; ++oy)
            for (int ox = 0; ox < s.out_w; ++ox) {
                float max = 0;
                int best = -1;
                for (int y = oy * s.stride - s.pad; y < oy * s.stride - s.pad + s.size; ++y)
                    for (int x = ox * s.stride - s.pad; x < ox * s.stride - s.pad + s.size; ++x) {
                        if (y < 0 || y >= s.h || x < 0 || x >= s.w) continue;
                        float v = in[(long)p * s.h * s.w + y * s.w + x];
                        if (s.relu_input && v < 0) v = 0;
                        if (best < 0 || v > max) max = v, best = y * s.w + x;
                    }
                long o = (long)p * s.out_h * s.out_w + oy * s.out_w + ox;
                out[o] = best < 0 ? 0 : max;
                argmax[o] = s.relu_input && max <= 0 ? -1 : best;
            }
}

static int same(float a, float b) { return (isnan(a) && isnan(b)) || a == b; }

static void check(int h, int w, int size, int stride, int pad, int relu)
{
    relnas_pool_shape s = relnas_pool_shape_make(2, 3, h, w, size, stride, pad, relu);
    if (s.out_h < 1 || s.out_w < 1) return;
    long n = 6L * h * w, m = 6L * s.out_h * s.out_w;
    float *in = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * m), *want = malloc(sizeof(float) * m);
    int *arg = malloc(sizeof(int) * m), *want_arg = malloc(sizeof(int) * m);
    for (long i = 0; i < n; ++i) in[i] = (float)((i * 7 + h * 3 + w) % 5) - 2; /* ties, negatives */
    in[n / 2] = NAN;
    relnas_maxpool_forward(out, arg, in, s);
    reference(want, want_arg, in, s);
    for (long i = 0; i < m; ++i)
        if (!same(out[i], want[i]) || arg[i] != want_arg[i])
            fail_msg("%dx%d size %d stride %d pad %d relu %d: output %ld = %g at %d, want %g at %d", h, w, size,
                     stride, pad, relu, i, out[i], arg[i], want[i], want_arg[i]);
    free(in), free(out), free(want), free(arg), free(want_arg);
}

static void test_every_small_shape(void **state)
{
    (void)state;
    for (int h = 1; h <= 9; ++h)
        for (int w = 1; w <= 8; ++w)
            for (int size = 1; size <= 5; size += 2)
                for (int stride = 1; stride <= 3; ++stride)
                    for (int pad = 0; pad <= 2; ++pad)
                        for (int relu = 0; relu <= 1; ++relu) check(h, w, size, stride, pad, relu);
    check(32, 32, 3, 1, 1, 0); /* the search network's planes */
    check(32, 32, 3, 2, 1, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_small_shape)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
