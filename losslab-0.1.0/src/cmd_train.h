/*
 * cmd_train.h -- `losslab train`: a model trained on a data set by the
 * training lab (core/train.h), the correct loss and a pitfall side by side,
 * as a table and a text chart, or one JSON object.
 */
#ifndef LOSSLAB_CMD_TRAIN_H
#define LOSSLAB_CMD_TRAIN_H

#include "cli.h"
#include "core/data.h"
#include "core/train.h"

/* What one `losslab train` command line asks for. */
struct cmd_train_req {
	struct data		 data;		/* generated or read */
	struct train_spec	 spec;		/* spec.opts points into l */
	struct cli_loss		 l;		/* the loss options */
	enum pitfall_id		 pitfall;	/* --pitfall, or PITFALL_NONE;
						   spec.pitfall is always
						   PITFALL_NONE */
	int			 json;
};

/*
 * Parse argv (argv[0] is "train") into *q (overwritten) and load the data:
 * generate it, or read the CSV file of --data @FILE.  Returns 0; 1 when
 * --help was printed; or CLI_EXIT_USAGE after one "losslab: train: ..."
 * line on stderr (an unknown data set, model, activation, loss or option,
 * a number out of range, a CSV file that cannot be read or is malformed,
 * with FILE:LINE).  Free *q with cmd_train_req_free() in every case.
 */
int	 cmd_train_setup(int argc, char **argv, struct cmd_train_req *q);
void	 cmd_train_req_free(struct cmd_train_req *q);

/* Run `losslab train`; returns the exit status: 0 (also when a run
   diverged or PyTorch would refuse it: the output says so), or 2 after one
   "losslab: ..." line on stderr for bad input. */
int	 cmd_train_main(int argc, char **argv);
/* Print the usage of `losslab train` to fp (a FILE *). */
void	 cmd_train_usage(void *fp);

#endif
