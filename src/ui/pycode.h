/*
 * pycode.h -- the explorer's "PyTorch, with the values above" lines: the
 * same computation as the screen shows, written as PyTorch code with the
 * learner's current input, target and options (float64 tensors, class
 * indices as integer tensors), so that it can be pasted into Python.
 * Tensors of more than PYCODE_MAX_VALUES values are not spelled out.
 */
#ifndef LOSSLAB_UI_PYCODE_H
#define LOSSLAB_UI_PYCODE_H

#include <stddef.h>

#include "step.h"

#define PYCODE_MAX_VALUES	48

/* Write the lines (joined by '\n') for step s into buf (len bytes, always
   NUL-terminated; truncated when too long). */
void	 pycode_format(const struct step *s, char *buf, size_t len);

#endif
