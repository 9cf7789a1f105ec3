/*
 * diag.h -- diagnostics: the core's warnings about inputs that compute fine
 * but are probably a mistake (probabilities fed to a logits loss, softmax
 * output fed to cross-entropy, multi-hot targets for cross-entropy, ...).
 *
 * Each diagnostic has a stable id (scripts and the explorer key on it) and an
 * English message that names what was seen and where.
 */
#ifndef LOSSLAB_CORE_DIAG_H
#define LOSSLAB_CORE_DIAG_H

#include "core/loss.h"

#define DIAG_MAX	16

struct diag {
	const char	*id;		/* stable, e.g. "input-looks-like-probabilities" */
	char		 msg[320];	/* one line, English (torch's longest
					   warning quoted whole is 255 bytes) */
};

struct diag_list {
	int		 n;
	struct diag	 d[DIAG_MAX];
};

/*
 * Inspect a loss call and append what looks wrong to out (out->n is reset).
 * r is the computed result or NULL (some checks, such as "mean is NaN because
 * every target is ignored", read it).  Never fails; at most DIAG_MAX entries.
 */
void	 diag_check(enum loss_id id, const struct mat *input,
	    const struct mat *target, const struct loss_opts *o,
	    const struct loss_result *r, struct diag_list *out);
/* diag_check where the caller has counted input's non-finite values
   already (vstat_summary does, for a report): nonfinite is that count, or
   DIAG_UNCOUNTED to have them counted here; with 0, the input is not
   scanned for them again (with some, it is, for where the first is). */
#define DIAG_UNCOUNTED	((size_t)-1)
void	 diag_check_counted(enum loss_id id, const struct mat *input,
	    const struct mat *target, const struct loss_opts *o,
	    const struct loss_result *r, size_t nonfinite,
	    struct diag_list *out);

/*
 * After loss_eval() refused a call: when the refusal is one of losslab's
 * deliberate divergences from torch 1.13 (the input is one torch takes),
 * write what torch does instead into buf, one line ("torch 1.13 takes
 * label_smoothing=-0.1 as 0 and returns 0.41703..."), and return 1; else
 * return 0.  Never fails otherwise; pure computation.
 */
int	 diag_refusal(enum loss_id id, const struct mat *input,
	    const struct mat *target, const struct loss_opts *o, char *buf,
	    size_t len);

#endif
