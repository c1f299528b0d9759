/* The calls Darknet's patched source makes into the plugin (plugin/patches/0001).
 * Each one serves layers of type PLUGIN; l.plugin_kind says which plugin layer. */
#ifndef RELNAS_HOOKS_H
#define RELNAS_HOOKS_H

#include <stdio.h>
#include "darknet.h"
#include "parser.h"

/* Parses section `type` (e.g. "[sep_conv]") of `cfgfile` into a plugin layer. A type
 * neither Darknet nor the plugin knows, or bad options, print an error naming the file,
 * line and section, and exit with status 1. */
layer relnas_parse_section(const char *cfgfile, const char *type, list *options,
                           size_params params);

/* Writes a plugin layer's weights in Darknet's .weights order. */
void relnas_save_layer_weights(layer l, FILE *fp);

/* Reads a plugin layer's weights; a short file exits naming `weightfile`. */
void relnas_load_layer_weights(layer l, FILE *fp, const char *weightfile);

/* The first layer of net in [from, to) that .weights bytes are read for (Darknet's own
 * kinds with parameters, and plugin layers that load weights), or -1 if none: where a
 * .weights file may end without leaving layers at their initial values. */
int relnas_next_layer_with_weights(const network *net, int from, int to);

/* Set by the commands that evaluate (valid, map, forward): a .weights file must then hold
 * every layer's weights; a training may start from the first layers only (darknet partial). */
extern int relnas_require_complete_weights;

/* A .weights file that ended before layer `loaded`, whose layers from there on have weights
 * in the cfg: says which layers were loaded, and exits 1 where complete weights are required. */
void relnas_weights_end_early(const network *net, const char *filename, int loaded);

/* Resizes a plugin layer to a w x h input. */
void relnas_resize_layer(layer *l, network *net, int w, int h);

/* A plugin layer whose l->batch was just changed (set_batch_network): its shapes and
 * buffers follow, at the same input size. */
void relnas_set_layer_batch(layer *l, network *net);

/* After set_batch_network: net->workspace grows to the largest layer's workspace_size (the
 * plugin layers' scratch follows the batch; cuDNN algorithms re-picked for a new batch may
 * need more than those picked at parse time). */
void relnas_fit_workspace(network *net);

/* Frees what a plugin layer owns beyond Darknet's shared layer buffers. */
void relnas_free_layer(layer l);

/* Memory plans (plugin/runtime/memory_plan.h): before layer i's backward pass, zeroes the
 * shared deltas whose use starts there. */
void relnas_before_backward(network *net, int i);

/* Drops net's memory plan before a resize: layers that shared a buffer get their own. */
void relnas_drop_plan(network *net);

/* Frees net's memory plan before the network is freed: shared buffers are freed once and
 * the layers that used them are left without (free_layer skips them). */
void relnas_free_plan(network *net);

/* A detection label file (plugin/data/label_file.h) as Darknet's boxes, for a data set of
 * `classes` classes; a malformed line, a class out of range or coordinates that are not
 * fractions of the image print the file, line and problem, and exit with status 1. */
box_label *relnas_read_boxes(const char *path, int classes, int *count);

/* Called by Darknet's load_image_stb before decoding: a truncated JPEG, PNG or PPM (which
 * stb_image would decode into garbage without a word) prints the file and what is missing,
 * and exits with status 1. */
void relnas_check_image_or_exit(const char *path);

/* Called by Darknet's train_network_datum (`classifier train`, `detector train`, ...) when a
 * batch's loss is NaN or infinite: prints the iteration, the learning rate and the first
 * layer whose output is not finite, and exits with status 1 (Darknet trained on in NaN). */
void relnas_stop_on_non_finite_loss(network *net, float loss);

/* Darknet's sync_layer (multi-GPU training, `-gpus 0,1,...`) for plugin layer j of the
 * replica networks nets[0..n-1]: parameters, BN statistics and update state averaged over
 * the replicas' GPUs (plugin/hooks/replica_sync.h). GPU builds only. */
void relnas_sync_plugin_layer(network **nets, int n, int j);

/* Called by parse_network_cfg before it builds anything: checks every section of
 * `cfgfile` (plugin/cfgcheck/cfg_check.h), prints every problem in the one format
 * `FILE:LINE: [section] (layer N): key: expected ..., found ...`, and exits with status 1
 * when there is an error. Warnings (unknown keys) are printed and parsing goes on. */
void relnas_check_cfg_or_exit(const char *cfgfile);

/* Called by read_cfg on each stripped line: drops carriage returns (CRLF files) and a
 * `#` comment after a value, which Darknet would read as part of the value. */
void relnas_clean_cfg_line(char *line);

/* Called by parse_network_cfg as it enters each section (layer -1: [net]; cfgfile NULL
 * when done), so that relnas_darknet_error can say where Darknet failed. */
void relnas_parsing_section(const char *cfgfile, int layer, const char *section);

/* Called first by Darknet's error(): while a cfg is parsed, prints the message with the
 * file, line and section and exits with status 1; otherwise returns (Darknet aborts). */
void relnas_darknet_error(const char *message);

#endif
