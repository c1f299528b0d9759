"""The DARTS/RelativeNAS operations in PyTorch, written from docs/design.md, 'Search space': the
independent reference the plugin's layers are tested and benchmarked against.

Each op class also says how its parameters map onto the plugin layer's layout
(plugin_params: per stage (depthwise conv or None, 1x1 conv, BatchNorm2d or None))."""
import torch
import torch.nn as nn


class SepConv(nn.Sequential):
    def __init__(self, c_in, c_out, k, stride):
        pad = (k - 1) // 2
        super().__init__(
            nn.ReLU(), nn.Conv2d(c_in, c_in, k, stride, pad, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_in, 1, bias=False), nn.BatchNorm2d(c_in),
            nn.ReLU(), nn.Conv2d(c_in, c_in, k, 1, pad, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))

    def plugin_params(self):
        return [(self[1], self[2], self[3]), (self[5], self[6], self[7])]


class DilConv(nn.Sequential):
    def __init__(self, c_in, c_out, k, stride, dilation=2):
        pad = dilation * (k - 1) // 2
        super().__init__(
            nn.ReLU(), nn.Conv2d(c_in, c_in, k, stride, pad, dilation, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))

    def plugin_params(self):
        return [(self[1], self[2], self[3])]


class ReLUConvBN(nn.Sequential):
    def __init__(self, c_in, c_out):
        super().__init__(nn.ReLU(), nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))

    def plugin_params(self):
        return [(None, self[1], self[2])]


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv_1 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.conv_2 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = torch.relu(x)
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(x[:, :, 1:, 1:])], dim=1))

    def plugin_params(self):
        return [(None, self.conv_1, None), (None, self.conv_2, self.bn)]


class ReLUThen(nn.Sequential):
    """A pool, with the auxiliary head's ReLU in front when relu is set."""
    def __init__(self, pool, relu):
        super().__init__(*([nn.ReLU()] if relu else []), pool)

    def plugin_params(self):
        return []


def avg_pool(size, stride, pad, relu=False):
    return ReLUThen(nn.AvgPool2d(size, stride, pad, count_include_pad=False), relu)


def max_pool(size, stride, pad):
    return ReLUThen(nn.MaxPool2d(size, stride, pad), False)
