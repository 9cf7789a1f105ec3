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

#endif
