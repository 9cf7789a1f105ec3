/*
 * pycode.h -- Python code as losslab shows it: the "PyTorch, with the
 * values above" lines (the same computation as the screen shows, written
 * as PyTorch code with the learner's current input, target and options:
 * tensors of the step's dtypes (float64 unless the learner switched to
 * float32; class indices int64), so that it can be
 * pasted into Python; tensors of more than PYCODE_MAX_VALUES values are
 * not spelled out), and the two things done to a lesson's code lines
 * before they are shown: wrapping that keeps them valid Python, and hiding
 * their comments while a predict-first question is open.  No curses.
 */
#ifndef LOSSLAB_PYCODE_H
#define LOSSLAB_PYCODE_H

#include <stddef.h>

#include "step.h"

#define PYCODE_MAX_VALUES	48

/* Write the lines (joined by '\n') for step s into buf (len bytes, always
   NUL-terminated; truncated when too long).  With result, a last comment
   line says what the computation gives: "# losslab: 0.298987", or
   "# torch raises: <the core's message>". */
void	 pycode_format(const struct step *s, int result, char *buf,
	    size_t len);

/*
 * Wrap Python lines to cols columns so that what is shown is still Python:
 * a line is broken at a blank outside string literals; a break in code
 * ends the line with " \" and indents the rest four more columns, a break
 * in a comment starts the rest with "# " under the comment.  A line with
 * no such blank stays whole (the caller clips it).  Returns a new string,
 * or NULL when out of memory.
 */
char	*pycode_wrap(const char *code, int cols);

/* The lines with every comment (outside string literals) replaced by
   "# …", for a question that the comments would answer.  New string, or
   NULL when out of memory. */
char	*pycode_hide_comments(const char *code);

#endif
