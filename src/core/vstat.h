/*
 * vstat.h -- the summary of an array of doubles that eval prints for a
 * large array (its finite values' range and mean, and how many are not
 * finite), in one vectorised pass (see vstat.c).
 */
#ifndef LOSSLAB_CORE_VSTAT_H
#define LOSSLAB_CORE_VSTAT_H

#include <stddef.h>

struct vstat {
	size_t	 n, nonfinite;
	double	 min, max, mean;	/* of the finite values; nan if none */
};

/* Summarise v[0..n) into *s.  The mean is the sum of the finite values in
   eight interleaved lanes, over their count.  Cannot fail. */
void	 vstat_summary(const double *v, size_t n, struct vstat *s);
/* The same of n floats: the summary of their doubles, bit for bit. */
void	 vstat_summary_f(const float *v, size_t n, struct vstat *s);
/* The portable code of each, whatever the processor (the two above take
   an AVX2 copy where there is one): for tests, which require the same
   bits of both. */
void	 vstat_summary_portable(const double *v, size_t n, struct vstat *s);
void	 vstat_summary_f_portable(const float *v, size_t n, struct vstat *s);

#endif
