#include <string.h>
#include <unistd.h>
#include "classifier_data.h"
#include "network.h"
#include "relnas_error.h"

network *relnas_load_classifier(const char *cfg, const char *weights, char *err, size_t errlen)
{
    if (access(cfg, R_OK)) return relnas_errorf(err, errlen, "%s: cannot open", cfg), NULL;
    if (weights && access(weights, R_OK)) return relnas_errorf(err, errlen, "%s: cannot open", weights), NULL;
    network *net = parse_network_cfg((char *)cfg);
    if (weights) load_weights(net, (char *)weights);
    layer out = get_network_output_layer(net);
    if (out.type != SOFTMAX && out.type != PLUGIN) {
        free_network(net);
        return relnas_errorf(err, errlen, "%s: a classifier ends with [softmax], this one with a %s layer", cfg,
                             get_layer_string(out.type)), NULL;
    }
    return net;
}

static int fits(const network *net, const char *spec, relnas_image_set *set, char *err, size_t errlen)
{
    if (set->w != net->w || set->h != net->h || set->c != net->c)
        return relnas_errorf(err, errlen, "%s has %dx%dx%d images, the cfg takes %dx%dx%d: generate it with "
                             "`darknet relnas cfg ... --width %d --height %d --input-channels %d`", spec, set->w,
                             set->h, set->c, net->w, net->h, net->c, set->w, set->h, set->c);
    if (set->classes > net->outputs)
        return relnas_errorf(err, errlen, "%s has labels up to %d, the cfg has %d classes: generate it with "
                             "--classes %d", spec, set->classes - 1, net->outputs, set->classes);
    set->classes = net->outputs; /* one-hot truths as wide as the network's output */
    return 0;
}

int relnas_load_classifier_data(const network *net, const char *spec, relnas_data_part part,
                                relnas_image_set *set, char *err, size_t errlen)
{
    if (relnas_load_dataset(spec, part, net->w, net->h, set, err, errlen)) return -1;
    if (fits(net, spec, set, err, errlen) == 0) return 0;
    relnas_image_set_free(set);
    return -1;
}

int relnas_load_eval_data(const network *net, const char *data_spec, const char *valid_spec,
                          relnas_image_set *set, char *err, size_t errlen)
{
    const char *spec = valid_spec ? valid_spec : data_spec;
    relnas_data_part part = strncmp(spec, "idx:", 4) == 0 ? RELNAS_DATA_TRAIN : RELNAS_DATA_TEST;
    return relnas_load_classifier_data(net, spec, part, set, err, errlen);
}
