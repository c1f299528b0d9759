# RelativeNAS for Darknet.
#
#   make                  ./darknet: pinned Darknet (fetched, verified, patched) + plugin/
#   make test             every test; last line "N passed, N failed[, N skipped]"
#   make clean            removes what the build made (the downloaded tarball stays cached)
#   make distclean        also the cached tarball
#
# Options, as in Darknet's Makefile: GPU=1 CUDNN=1 OPENMP=1 DEBUG=1, plus
#   OPENBLAS=1            Debian's OpenBLAS for CPU GEMM (default: on when cblas.h exists)
#   SANITIZE=1            AddressSanitizer + UndefinedBehaviorSanitizer
#   ARCH=...              nvcc -gencode flags (default: sm_75..sm_90 + PTX)
#   MPI=1                 Open MPI (Debian's libopenmpi-dev, openmpi-bin): `mpirun -np N ./darknet
#                         relnas search --parallel-pairs` (docs/scale.md)
#   DARKNET_SRC=/dir      build from an existing checkout of Darknet 61c9d02e, no download
#   BUILD=dir EXEC=path   where objects go and where the binary is linked

MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

GPU      ?= 0
CUDNN    ?= 0
OPENMP   ?= 1
DEBUG    ?= 0
SANITIZE ?= 0
MPI      ?= 0
# OpenMP builds link OpenBLAS's OpenMP variant: the pthreads one spins its own threads
# against ours, and on 2 cores a training step got 2-4x slower (scripts/bench-ops).
MULTIARCH    := $(shell gcc -print-multiarch 2>/dev/null)
BLAS_VARIANT := $(if $(filter 1,$(OPENMP)),openblas-openmp,openblas-pthread)
BLAS_DIR     := /usr/lib/$(MULTIARCH)/$(BLAS_VARIANT)
# On when Debian's OpenBLAS is there, or when we are root and `make` can install it.
OPENBLAS ?= $(if $(or $(wildcard $(BLAS_DIR)/libopenblas.so),$(filter 0,$(shell id -u))),1,0)
CUDA     ?= /usr/local/cuda
NVCC     ?= $(CUDA)/bin/nvcc
ARCH     ?= -gencode arch=compute_75,code=sm_75 \
            -gencode arch=compute_80,code=sm_80 \
            -gencode arch=compute_86,code=sm_86 \
            -gencode arch=compute_89,code=sm_89 \
            -gencode arch=compute_90,code=[sm_90,compute_90]
BUILD    ?= build
EXEC     ?= darknet
CC       ?= gcc

# Patched Darknet source, shared by every build variant.
DNSRC    := build/darknet
DNSTAMP  := $(DNSRC)/.relnas-patched
PATCHES  := $(sort $(wildcard plugin/patches/*.patch))

# Objects of each option set live apart, so switching options never mixes objects.
VARIANT  := obj$(if $(filter 1,$(GPU)),-gpu)$(if $(filter 1,$(CUDNN)),-cudnn)$(if $(filter 1,$(OPENMP)),,-noomp)$(if $(filter 1,$(OPENBLAS)),,-noblas)$(if $(filter 1,$(MPI)),-mpi)$(if $(filter 1,$(DEBUG)),-debug)$(if $(filter 1,$(SANITIZE)),-san)$(if $(filter fuzz,$(SANITIZE)),-fuzz)
OBJDIR   := $(BUILD)/$(VARIANT)

# Darknet's own object lists, as its Makefile names them (image_opencv.cpp is empty without OpenCV).
DN_LIB   := gemm utils cuda deconvolutional_layer convolutional_layer list image activations \
            im2col col2im blas crop_layer dropout_layer maxpool_layer softmax_layer data matrix \
            network connected_layer cost_layer parser option_list detection_layer route_layer \
            upsample_layer box normalization_layer avgpool_layer layer local_layer shortcut_layer \
            logistic_layer activation_layer rnn_layer gru_layer crnn_layer demo batchnorm_layer \
            region_layer reorg_layer tree lstm_layer l2norm_layer yolo_layer iseg_layer
DN_CU    := convolutional_kernels deconvolutional_kernels activation_kernels im2col_kernels \
            col2im_kernels blas_kernels crop_layer_kernels dropout_layer_kernels \
            maxpool_layer_kernels avgpool_layer_kernels
DN_EXAMPLES := captcha lsd super art tag cifar go rnn segmenter regressor classifier coco yolo \
            detector nightmare instance-segmenter darknet

# The transport of the search's parallel mode: Open MPI, or one process (plugin/util/transport.h).
PLUGIN_C  := $(filter-out plugin/util/transport_$(if $(filter 1,$(MPI)),single,mpi).c,$(sort $(wildcard plugin/*/*.c)))
PLUGIN_CU := $(sort $(wildcard plugin/*/*_kernels.cu))
PLUGIN_DIRS := $(sort $(dir $(wildcard plugin/*/*.h)))

DN_OBJS  := $(DN_LIB:%=$(OBJDIR)/dn/src/%.o)
EX_OBJS  := $(DN_EXAMPLES:%=$(OBJDIR)/dn/examples/%.o)
PL_OBJS  := $(PLUGIN_C:%.c=$(OBJDIR)/%.o)
ifeq ($(GPU),1)
DN_OBJS  += $(DN_CU:%=$(OBJDIR)/dn/src/%.o)
PL_OBJS  += $(PLUGIN_CU:%.cu=$(OBJDIR)/%.o)
endif
LIB      := $(OBJDIR)/librelnas.a

# ---- flags ----------------------------------------------------------------------------
OPT      := $(if $(filter 1,$(DEBUG)),-O0 -g,-O3 -g1)
DEFS     := $(if $(filter 1,$(GPU)),-DGPU) $(if $(filter 1,$(CUDNN)),-DCUDNN) \
            $(if $(filter 1,$(OPENBLAS)),-DRELNAS_OPENBLAS -isystem /usr/include/$(MULTIARCH)/$(BLAS_VARIANT))
# CUDA's headers come last: Darknet's own src/cuda.h must win over CUDA's cuda.h.
CUDA_INC := $(if $(filter 1,$(GPU)),-isystem $(CUDA)/include)
INCLUDES := -I$(DNSRC)/include -I$(DNSRC)/src $(PLUGIN_DIRS:%=-I%) $(CUDA_INC)
# Our code sees Darknet's headers as system headers: their old-style prototypes are not ours to fix.
PL_INCLUDES := $(PLUGIN_DIRS:%=-I%) -isystem $(DNSRC)/include -isystem $(DNSRC)/src $(CUDA_INC) -isystem /usr/include/cairo
comma    := ,
SANFLAGS := $(if $(filter 1,$(SANITIZE)),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined) \
            $(if $(filter fuzz,$(SANITIZE)),-fsanitize=fuzzer-no-link$(comma)address$(comma)undefined -fno-sanitize-recover=undefined -O1)
OMPFLAGS := $(if $(filter 1,$(OPENMP)),-fopenmp)
COMMON   := $(OPT) $(DEFS) $(SANFLAGS) $(OMPFLAGS) -fPIC -MMD -MP
# Darknet's code keeps Darknet's warning flags; ours treats every warning as an error.
DN_CFLAGS := $(COMMON) $(INCLUDES) -Wall -Wno-unused-result -Wno-unknown-pragmas -Wno-stringop-truncation \
             -Wno-format-overflow -Wno-misleading-indentation -Wno-unused-but-set-variable \
             $(if $(findstring clang,$(CC)),-Wno-unknown-warning-option -Wno-implicit-const-int-float-conversion)
PL_CFLAGS := $(COMMON) $(PL_INCLUDES) -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
             -Wstrict-prototypes -Wmissing-prototypes $(if $(filter 1,$(OPENMP)),,-Wno-unknown-pragmas)
NVFLAGS  := $(ARCH) $(DEFS) $(INCLUDES) -O3 -Xcompiler "-fPIC -Wall" -MMD -MP
# Open MPI's flags come from its compiler wrapper, asked only when used (after `deps` installed it).
MPI_CFLAGS = $(shell mpicc --showme:compile)
MPI_LIBS   = $(if $(filter 1,$(MPI)),$(shell mpicc --showme:link))
LDLIBS   = $(MPI_LIBS) -lm -lz -lexpat -lcairo -pthread $(SANFLAGS) $(OMPFLAGS) \
            $(if $(filter 1,$(OPENBLAS)),-L$(BLAS_DIR) -Wl$(comma)-rpath$(comma)$(BLAS_DIR) -lopenblas) \
            $(if $(filter 1,$(GPU)),-L$(CUDA)/lib64 -lcudart -lcublas -lcurand -lstdc++) \
            $(if $(filter 1,$(CUDNN)),-lcudnn)

# ---- top-level targets ----------------------------------------------------------------
.PHONY: all deps test test-unit clean distclean data cfgs darknet-files
all: $(EXEC) darknet-files

# The binary is relinked when the option set changes, not only when objects do.
VARIANT_STAMP := $(BUILD)/.variant-$(subst /,_,$(EXEC))
$(shell mkdir -p $(BUILD); [ "$$(cat $(VARIANT_STAMP) 2>/dev/null)" = "$(VARIANT)" ] || echo "$(VARIANT)" > $(VARIANT_STAMP))

$(EXEC): $(EX_OBJS) $(LIB) $(VARIANT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SANFLAGS) $(EX_OBJS) $(LIB) -o $@ $(LDLIBS)

$(LIB): $(DN_OBJS) $(PL_OBJS)
	rm -f $@
	ar rcs $@ $^

# ---- Darknet's source: fetch, verify, patch --------------------------------------------
$(DNSTAMP): scripts/fetch-darknet $(PATCHES)
	scripts/fetch-darknet $(DNSRC)
	@for p in $(PATCHES); do \
	    echo "patch $$p"; \
	    patch -d $(DNSRC) -p1 --fuzz=0 --forward --no-backup-if-mismatch --quiet < $$p || \
	        { echo "error: $$p does not apply cleanly to Darknet 61c9d02e" >&2; exit 1; }; \
	done
	@touch $@

# Darknet's own cfg/ and data/ files where its users look for them (`detector test
# cfg/yolov3.cfg`, data/labels for drawn boxes): links into the fetched source, never tracked
# in git. A file of ours with the same name (cfg/voc.data) wins; `make clean` removes the links.
darknet-files: $(DNSTAMP)
	@mkdir -p cfg data
	@for f in $(DNSRC)/cfg/* $(DNSRC)/data/*; do \
	    d=$${f#$(DNSRC)/}; [ -e "$$d" ] || [ -L "$$d" ] || ln -s "../$$f" "$$d"; \
	done

# cfg/'s networks of the bundled genotypes (scripts/make-cfgs has the table; a test checks
# that cfg/ equals what `relnas cfg` writes).
cfgs: $(EXEC)
	@scripts/make-cfgs ./$(EXEC) cfg

# Darknet's files appear when the stamp is made; the stamp orders it. They are never
# intermediate files to delete.
.SECONDARY:
$(DNSRC)/src/%.c $(DNSRC)/src/%.cu $(DNSRC)/src/%.h $(DNSRC)/examples/%.c $(DNSRC)/include/%.h: | $(DNSTAMP) ;

# ---- compile ------------------------------------------------------------------------
# Static pattern rules: each object names its source's kind. With one `%.o: %.c` and one
# `%.o: %.cu` rule, a fresh GPU build (no source fetched yet) took the `.c` rule for the
# *_kernels objects, since the order-only rule above makes any `.c` look makeable.
DN_C_OBJS  := $(DN_LIB:%=$(OBJDIR)/dn/src/%.o) $(EX_OBJS)
DN_CU_OBJS := $(DN_CU:%=$(OBJDIR)/dn/src/%.o)
$(DN_C_OBJS): $(OBJDIR)/dn/%.o: $(DNSRC)/%.c $(DNSTAMP) | deps
	@mkdir -p $(dir $@)
	$(CC) $(DN_CFLAGS) -c $< -o $@

$(DN_CU_OBJS): $(OBJDIR)/dn/%.o: $(DNSRC)/%.cu $(DNSTAMP) | deps
	@mkdir -p $(dir $@)
	$(NVCC) $(NVFLAGS) -c $< -o $@

$(PLUGIN_C:%.c=$(OBJDIR)/%.o): $(OBJDIR)/plugin/%.o: plugin/%.c $(DNSTAMP) | deps
	@mkdir -p $(dir $@)
	$(CC) $(PL_CFLAGS) -c $< -o $@

# Only the transport sees MPI's headers (the flags are asked of mpicc only for that object).
$(OBJDIR)/plugin/util/transport_mpi.o: PL_CFLAGS += $(MPI_CFLAGS)

$(PLUGIN_CU:%.cu=$(OBJDIR)/%.o): $(OBJDIR)/plugin/%.o: plugin/%.cu $(DNSTAMP) | deps
	@mkdir -p $(dir $@)
	$(NVCC) $(NVFLAGS) -c $< -o $@

-include $(shell find $(OBJDIR) -name '*.d' 2>/dev/null)

# ---- dependencies from Debian ---------------------------------------------------------
# Installed when root, else the exact command is printed and the build stops.
# zlib: gzip-compressed IDX files and checksums; expat: VOC annotation XML (small, streaming);
# cairo + DejaVu: the charts (axes, tick values, titles, legends) instead of PNG code of our own.
BUILD_PKGS := gcc make patch xz-utils ca-certificates zlib1g-dev libexpat1-dev libcairo2-dev fonts-dejavu-core
# python3-torch: the PyTorch reference for layer numerics (tests/layers/torch_reference.py);
# graphviz: `relnas draw` renders with it; python3-pil: scripts/make-shapes-voc writes JPEGs.
TEST_PKGS  := libcmocka-dev python3-torch python3-numpy python3-pil graphviz
BLAS_PKGS  := $(if $(filter 1,$(OPENBLAS)),lib$(BLAS_VARIANT)-dev)
MPI_PKGS   := $(if $(filter 1,$(MPI)),libopenmpi-dev openmpi-bin)
deps:
	@scripts/need-packages $(BUILD_PKGS) $(BLAS_PKGS) $(MPI_PKGS)

# ---- tests ----------------------------------------------------------------------------
TEST_SRCS := $(sort $(wildcard tests/*/test_*.c))
TEST_BINS := $(TEST_SRCS:%.c=$(OBJDIR)/%)
TEST_CFLAGS := $(PL_CFLAGS) -Itests

$(OBJDIR)/tests/%: tests/%.c $(LIB) | test-deps
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $< $(LIB) -o $@ -lcmocka $(LDLIBS)

.PHONY: test-deps
# After deps: two apt-get installs at once (make -j) would fight over dpkg's lock.
test-deps: deps
	@scripts/need-packages $(TEST_PKGS)

# PyTorch reference files for tests/layers/test_layer_torch (remade when the script changes
# or when an earlier run could not import PyTorch).
GOLDEN_DIR := build/golden
.PHONY: golden
golden: test-deps
	@if [ ! -f $(GOLDEN_DIR)/CASES ] || [ tests/layers/torch_reference.py -nt $(GOLDEN_DIR)/CASES ]; then \
	    if [ -x /usr/bin/python3 ]; then /usr/bin/python3 tests/layers/torch_reference.py $(GOLDEN_DIR); \
	    else mkdir -p $(GOLDEN_DIR) && echo "/usr/bin/python3 not found (Debian's python3-torch needs it)" > $(GOLDEN_DIR)/SKIPPED; fi; \
	fi

test: test-deps golden $(EXEC) darknet-files $(TEST_BINS)
	@fmnist=$$(scripts/fetch-fashion-mnist build/data) || fmnist=; \
	RELNAS_FASHION_MNIST=$$fmnist RELNAS_GOLDEN_DIR=$(GOLDEN_DIR) RELNAS_SANITIZE=$(SANITIZE) RELNAS_MPI=$(MPI) \
	    tests/run-tests --darknet ./$(EXEC) $(TEST_BINS) $(sort $(wildcard tests/*/test_*.sh))

# ---- data: Fashion-MNIST from Debian, without root ---------------------------------------
data:
	@scripts/fetch-fashion-mnist build/data

# ---- benchmarks -----------------------------------------------------------------------
.PHONY: bench
BENCH_BINS := $(OBJDIR)/scripts/bench_ops $(OBJDIR)/scripts/bench_train
bench: $(BENCH_BINS)
	@echo $(BENCH_BINS)

$(OBJDIR)/scripts/%: scripts/bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PL_CFLAGS) $< $(LIB) -o $@ $(LDLIBS)

# Every option set's objects and binaries; the cached downloads (Darknet's tarball, the
# Fashion-MNIST package) stay for the next build.
clean:
	@find cfg data -maxdepth 1 -type l -lname '../$(DNSRC)/*' -delete 2>/dev/null || true
	rm -rf build/obj* build/*/obj* build/.variant-* build/*/.variant-* build/golden $(DNSRC) \
	    $(EXEC) build/gpu/darknet build/san/darknet

distclean: clean
	rm -rf build

# ---- fuzzing: libFuzzer from Debian's clang; scripts/fuzz SECONDS runs every target -----
# The targets link Darknet and the plugin built by clang with coverage, ASan and UBSan
# (SANITIZE=fuzz, no OpenMP or OpenBLAS: their code is not ours to fuzz), in build/fuzz/lib.
FUZZ_DIR     := build/fuzz
FUZZ_TARGETS := genotype voc_xml idx cifar layer_cfg checkpoint weights labels detections cfg
FUZZ_LIB     := $(FUZZ_DIR)/lib/obj-noomp-noblas-fuzz/librelnas.a
FUZZ_CFLAGS  := -g -O1 -Wall -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(PL_INCLUDES) -Itests/fuzz
# fuzz_weights runs Darknet's loader, which exits on a damaged file: exit() is wrapped to
# return to the target (tests/fuzz/fuzz_exit.h).
FUZZ_LDFLAGS_weights := -Wl,--wrap=exit -Wl,--wrap=fopen
# fuzz_cfg builds what the cfg check accepts; an exit() there is a check that missed a
# problem, caught the same way and reported as a crash.
FUZZ_LDFLAGS_cfg := -Wl,--wrap=exit -Wl,--wrap=fopen
fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_LIB) | fuzz-deps
	clang $(FUZZ_CFLAGS) $< $(FUZZ_LIB) -o $@ $(FUZZ_LDFLAGS_$*) -lm -lz -lexpat -lcairo -pthread
# Always asks the sub-make, which knows the library's sources; it does nothing when current.
ifneq ($(SANITIZE),fuzz)
$(FUZZ_LIB): fuzz-deps FORCE
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR)/lib CC=clang OPENMP=0 OPENBLAS=0 GPU=0 CUDNN=0 \
	    SANITIZE=fuzz $@
endif
fuzz-deps: deps
	@scripts/need-packages clang libclang-rt-14-dev
fuzz-targets:
	@echo $(FUZZ_TARGETS)
.PHONY: fuzz fuzz-deps fuzz-targets FORCE
FORCE:
