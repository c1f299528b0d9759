/* Evaluating a classifier: its class probabilities for every image of a set (inference
 * mode, in batches of the network's size; optionally averaged with the mirrored image,
 * test-time augmentation), and the figures users read from them: top-k accuracy and the
 * confusion matrix. The figures are pure functions of the probabilities and labels. */
#ifndef RELNAS_CLASSIFIER_EVAL_H
#define RELNAS_CLASSIFIER_EVAL_H

#include "darknet.h"
#include "image_set.h"

/* probs[i * classes + k] for every image i of set (classes = net->outputs, >= set->classes).
 * tta_flip: the mean of the image's and its mirror's probabilities. */
void relnas_predict_set(network *net, const relnas_image_set *set, int tta_flip, float *probs);

/* Share of images whose label is among the k most probable classes (ties: lower index first). */
double relnas_topk_accuracy(const float *probs, const unsigned char *labels, int count, int classes, int k);

/* counts[t * classes + p]: images of label t predicted p (the most probable class). */
void relnas_confusion(const float *probs, const unsigned char *labels, int count, int classes, long *counts);

/* Prints top-1 (and top-5 with at least 5 classes), then per class: images, accuracy and
 * the class it is most often mistaken for. */
void relnas_print_evaluation(FILE *out, const float *probs, const unsigned char *labels, int count, int classes);

#endif
