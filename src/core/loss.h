/*
 * loss.h -- every classification loss of losslab, computed once, here.
 *
 * Each loss reproduces PyTorch 1.13's float64 semantics (value and gradient,
 * every option and reduction, each loss with its own `mean` denominator), as
 * written down in shared/reference/pytorch-losses.md.  The explorer, the
 * command line, the plots and the lessons all call loss_eval(); nothing else
 * in the program computes a loss.
 *
 * Shapes.  input is 1-D (one unbatched sample for ce/nll/multi-margin/
 * multilabel-soft-margin, a vector of elements for the element-wise losses)
 * or 2-D (rows = samples N, cols = classes C).  For ce, nll and multi-margin
 * a target with the input's shape is class probabilities (ce only; torch
 * dispatches the same way), any other target holds class indices: a 1-D
 * target of N integers for a 2-D input, a 1-D target of one integer for a
 * 1-D input.  (So a 1-D input of one class with a one-value target is read
 * as probabilities, as torch reads two tensors of the same shape.)
 *
 * Broadcasting is torch's, right-aligned over the two dimensions: weight and
 * pos_weight of bce/bce-logits, the target and weight of
 * multilabel-soft-margin, the target of soft-margin may not grow the input's
 * shape; kl-div's input and target broadcast freely and its 'none' output
 * (elem) has the broadcast shape.
 */
#ifndef LOSSLAB_CORE_LOSS_H
#define LOSSLAB_CORE_LOSS_H

#include "core/mat.h"

enum loss_id {
	LOSS_BCE,		/* nn.BCELoss: input probabilities */
	LOSS_BCE_LOGITS,	/* nn.BCEWithLogitsLoss: input logits */
	LOSS_CE,		/* nn.CrossEntropyLoss: input logits */
	LOSS_NLL,		/* nn.NLLLoss: input log-probabilities */
	LOSS_MULTILABEL_SOFT_MARGIN, /* nn.MultiLabelSoftMarginLoss */
	LOSS_MULTI_MARGIN,	/* nn.MultiMarginLoss */
	LOSS_SOFT_MARGIN,	/* nn.SoftMarginLoss */
	LOSS_KL_DIV,		/* nn.KLDivLoss: input log-probabilities */
	LOSS_FOCAL,		/* torchvision.ops.sigmoid_focal_loss */
	LOSS_COUNT
};

enum loss_reduction {
	LOSS_REDUCTION_NONE,
	LOSS_REDUCTION_MEAN,	/* the default for every loss here */
	LOSS_REDUCTION_SUM,
	LOSS_REDUCTION_BATCHMEAN	/* kl-div only */
};

/* What a loss expects as its input, for labels such as dL/dz vs dL/dp. */
enum loss_input_kind {
	LOSS_INPUT_LOGITS,		/* z: raw scores */
	LOSS_INPUT_PROBABILITIES,	/* p in [0,1] */
	LOSS_INPUT_LOG_PROBABILITIES	/* log p */
};

struct loss_result;

struct loss_opts {
	enum loss_reduction reduction;	/* default LOSS_REDUCTION_MEAN */
	const struct mat *weight;	/* NULL: none.  bce, bce-logits: broadcast
					   against the input (length C = last dim,
					   or the input's shape); ce, nll,
					   multi-margin, multilabel-soft-margin:
					   one weight per class */
	const struct mat *pos_weight;	/* bce-logits only; broadcast as weight */
	long	 ignore_index;		/* ce, nll (default -100) */
	double	 label_smoothing;	/* ce, in [0, 1] (default 0) */
	double	 margin;		/* multi-margin (default 1) */
	int	 p;			/* multi-margin: 1 or 2 (default 1) */
	double	 alpha;			/* focal (default 0.25; < 0: no alpha) */
	double	 gamma;			/* focal (default 2) */
	int	 log_target;		/* kl-div (default 0) */
	int	 float32;		/* compute as torch does for float32
					   tensors (default 0: float64) */
	int	 threads;		/* the most threads the float32 kernel
					   of ce and nll with class indices
					   may share a large input's rows out
					   to (default 1); the numbers are the
					   same bits for any count */
	/* Where set, told during loss_eval that values [i0, i1) of r->grad
	   (in its row-major order) are final, each value once, by the
	   kernels that compute the gradient in pieces (ce and nll with
	   class indices in float32, ce with class indices and no label
	   smoothing in float64, bce-logits without weights in float64),
	   from their threads, maybe at once and in any order; other
	   kernels never call it, and every value is final when loss_eval
	   returns.  The caller's: a file written while the rest is
	   computed.  Told of LOSS_DONE_MIN values or more at a time. */
	void	(*values_done)(void *ctx, const struct loss_result *r,
		    size_t i0, size_t i1);
	void	*done_ctx;
};

/* loss_opts.values_done hears of this many values at a time, or more (the
   last piece may be smaller). */
#define LOSS_DONE_MIN	((size_t)1 << 14)

/* How a float32 result was computed (loss_result.f32). */
enum loss_f32 {
	LOSS_F32_NONE,		/* float64: not asked for */
	LOSS_F32_KERNEL,	/* in float, following torch's float kernels
				   (bce, bce-logits, ce, nll) */
	LOSS_F32_ROUNDED	/* in float64, rounded to float: within an ulp
				   or two of torch's float32 but where its
				   float arithmetic cancels */
};

struct loss_result {
	struct mat elem;	/* the reduction='none' output: input's shape for
				   element-wise losses, one value per sample
				   for ce/nll/multi-margin/multilabel-soft-margin */
	int	 elem_scalar;	/* the 'none' output is 0-d (a 1-D unbatched
				   input to a per-sample loss); elem has 1 value */
	double	 value;		/* the reduced loss (for 'none': the sum of elem,
				   the quantity grad differentiates) */
	double	 denom;		/* what 'mean'/'batchmean' divided by (1 otherwise) */
	struct mat grad;	/* d(sum of the output)/d(input), input's shape */
	int	 index_target;	/* ce/nll/multi-margin: target held class indices */
	enum loss_f32 f32;	/* float32 numbers, and how (opts.float32) */
};

#define LOSS_RESULT_INIT { MAT_INIT, 0, 0, 1, MAT_INIT, 0, LOSS_F32_NONE }

/* Fill o with torch's defaults (reduction mean, ignore_index -100, ...). */
void	 loss_opts_init(struct loss_opts *o);

/*
 * Compute loss `id` of input against target with options o into *r (which is
 * overwritten; free it with loss_result_free).  Returns 0, or -1 with e set to
 * a one-line message worded like torch's where torch raises (shape mismatch,
 * class index out of range, bce input outside [0,1], bad option values).
 */
int	 loss_eval(enum loss_id id, const struct mat *input,
	    const struct mat *target, const struct loss_opts *o,
	    struct loss_result *r, struct err *e);
void	 loss_result_free(struct loss_result *r);

/*
 * N-D inputs, as arrays from .npy files arrive: a C-order array of doubles
 * and its shape (0 to LOSS_MAX_NDIM dimensions; 0-d is a scalar).
 */
#define LOSS_MAX_NDIM	32
struct loss_shape {
	int	 ndim;
	size_t	 dim[LOSS_MAX_NDIM];
};

/*
 * loss_eval for tensors of any rank, with torch's shape rules and messages:
 * ce and nll take (N, C, d1, ..., dk) logits with (N, d1, ..., dk) class
 * indices (ce also probabilities of the input's shape), a (C) input with a
 * 0-d index; multilabel-soft-margin sums over the last dimension; the
 * element-wise losses take any shape equal to the target's; multi-margin
 * stays 1-D or 2-D.  The computation is loss_eval's on a 2-D view (rows are
 * the positions, columns the classes), so every number is the one the 2-D
 * path gives.  On success r->elem and r->grad are 1-D mats of the values in
 * C order, *elem_shape the shape of the reduction='none' output and the
 * gradient has the input's shape.  Fails (-1, e set) as loss_eval does, and
 * where losslab refuses what torch would broadcast (an N-D target of
 * another shape for soft-margin and kl-div, N-D weights other than one per
 * last-dimension entry).
 */
int	 loss_eval_nd(enum loss_id id, const double *input,
	    const struct loss_shape *xs, const double *target,
	    const struct loss_shape *ts, const struct loss_opts *o,
	    struct loss_result *r, struct loss_shape *elem_shape,
	    struct err *e);
/* A shape as torch prints a size, "[2, 3, 4]" ("[]" for 0-d). */
const char *loss_shape_str(const struct loss_shape *s, char *buf, size_t len);

/* Names as used on the command line ("bce", "bce-logits", "ce", ...). */
const char *loss_name(enum loss_id id);
/* Parse a command-line name; 0, or -1 if unknown. */
int	 loss_parse(const char *name, enum loss_id *id);
/* The PyTorch spelling, e.g. "nn.BCEWithLogitsLoss". */
const char *loss_torch_name(enum loss_id id);
enum loss_input_kind loss_input_kind(enum loss_id id);
/* The input kind's one name, in English: "logits", "probabilities",
   "log-probabilities" (the interface translates it with _()). */
const char *loss_input_kind_name(enum loss_id id);
/* The input's symbol for labels: "z" (logits), "p", "log p". */
const char *loss_input_symbol(enum loss_id id);
/* The gradient's label, UTF-8: "∂L/∂z", "∂L/∂p" or "∂L/∂(log p)". */
const char *loss_grad_label(enum loss_id id);
/* Whether the loss reads an option ("weight", "pos-weight", "ignore-index",
   "label-smoothing", "margin", "p", "alpha", "gamma", "log-target"). */
int	 loss_has_option(enum loss_id id, const char *option);

const char *loss_reduction_name(enum loss_reduction r);
/* Parse "none", "mean", "sum", "batchmean"; 0 or -1 (batchmean is accepted
   here and refused by loss_eval for losses other than kl-div). */
int	 loss_reduction_parse(const char *s, enum loss_reduction *r);

#endif
