/* Depthwise convolution (one K x K filter per channel, any stride, dilation and padding),
 * CPU. in: [batch, channels, h, w], out: [batch, channels, out_h, out_w], each in the
 * layout its shape says (tensor_layout.h); weights [channels, ksize, ksize]. With
 * relu_input the input is read through max(0, x), which saves a buffer for the ReLU that
 * precedes every depthwise conv in DARTS ops. */
#ifndef RELNAS_DEPTHWISE_CONV_H
#define RELNAS_DEPTHWISE_CONV_H

/* The largest kernel side the depthwise kernels take (their per-tap accumulators are on the
 * stack); layer parsers refuse larger ones. */
#define RELNAS_DW_MAX_KERNEL 15

typedef struct relnas_dw_shape {
    int batch, channels, h, w;
    int ksize, stride, dilation, pad; /* pad on each side */
    int out_h, out_w;
    int relu_input;
    int in_layout, out_layout;        /* RELNAS_NCHW or RELNAS_CNHW */
} relnas_dw_shape;

/* Output size of a convolution along one axis. */
int relnas_conv_out_size(int in, int ksize, int stride, int dilation, int pad);

/* A shape with out_h and out_w filled in; NCHW input, CNHW output. */
relnas_dw_shape relnas_dw_shape_make(int batch, int channels, int h, int w, int ksize, int stride,
                                     int dilation, int pad, int relu_input);

/* out = depthwise(act(in)). */
void relnas_depthwise_forward(float *out, const float *in, const float *weights, relnas_dw_shape s);

/* din += d(out)/d(in) applied to dout (masked by in > 0 with relu_input); din has the
 * input's layout, dout the output's. */
void relnas_depthwise_backward_input(float *din, const float *dout, const float *in,
                                     const float *weights, relnas_dw_shape s);

/* dweights += d(out)/d(weights) applied to dout, summed over the batch. */
void relnas_depthwise_backward_weights(float *dweights, const float *dout, const float *in,
                                       relnas_dw_shape s);

#endif
