/*
 * cmd_plot.h -- `losslab plot`: loss curves as PNG, SVG, PDF or text.
 */
#ifndef LOSSLAB_CMD_PLOT_H
#define LOSSLAB_CMD_PLOT_H

/*
 * Run `losslab plot` (argv[0] is "plot"): `--list`, `--help`, or
 * `ID [--out FILE] [options]`.  Returns the exit status: 0, or 2 after one
 * "losslab: ..." line on stderr (bad option or value, unsafe output name,
 * gnuplot missing, failing or timed out).
 */
int	 cmd_plot_main(int argc, char **argv);
/* Print the usage of `losslab plot` to fp (a FILE *). */
void	 cmd_plot_usage(void *fp);

#endif
