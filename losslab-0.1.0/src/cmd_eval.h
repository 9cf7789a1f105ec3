/*
 * cmd_eval.h -- `losslab eval`: one loss, its value and its gradient, for
 * scripts (--json) and people (a readable report).
 */
#ifndef LOSSLAB_CMD_EVAL_H
#define LOSSLAB_CMD_EVAL_H

/* Run `losslab eval` (argv[0] is "eval"); returns the exit status: 0, or 2
   after one "losslab: ..." line on stderr for any bad input. */
int	 cmd_eval_main(int argc, char **argv);
/* Print the usage of `losslab eval` to fp. */
void	 cmd_eval_usage(void *fp);

#endif
