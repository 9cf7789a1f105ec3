/*
 * data.h -- the training lab's data: a seeded random number generator, the
 * generated data sets and the learner's CSV file.
 *
 * Everything random in `losslab train` comes from one documented generator,
 * so that a run is reproduced exactly from its seed (and by any other
 * program that follows this description):
 *
 *   splitmix64(x):  x += 0x9e3779b97f4a7c15;
 *                   z = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
 *                   z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
 *                   return z ^ (z >> 31)
 *   a stream:       x = seed ^ (stream * 0xd1b54a32d192ed03); the four
 *                   words of xoshiro256** are the next four splitmix64(x)
 *   next():         xoshiro256** (Blackman and Vigna, 2018)
 *   uniform():      (next() >> 11) * 2^-53, in [0, 1)
 *   normal():       Box-Muller, cosine branch only:
 *                   u1 = 1 - uniform(), u2 = uniform(),
 *                   sqrt(-2 log u1) * cos(2 pi u2)
 *   below(n):       next() % n, redrawn while next() >= 2^64 - 2^64 mod n
 *   a permutation:  0, 1, ..., n-1, then Fisher-Yates from the top:
 *                   for i = n-1 down to 1: swap p[i] and p[below(i + 1)]
 * Streams: RNG_STREAM_DATA (1) generates the data, RNG_STREAM_INIT (2) the
 * initial parameters, RNG_STREAM_ORDER (3) the mini-batch order (a fresh
 * permutation each epoch).  Each stream is independent of the others, so
 * the same seed gives the same data and the same start whatever the model.
 *
 * Data sets (2-D points x, point i drawn in order i = 0, 1, ...; K classes;
 * z, z1, z2 standard normals, u uniform, each drawn in the order written;
 * sigma is --noise):
 *   blobs       k = i mod K; x = 3 (cos 2 pi k/K, sin 2 pi k/K) + sigma (z1, z2)
 *   xor         q = i mod 4, centre (1,1), (-1,1), (-1,-1), (1,-1) for
 *               q = 0..3; label q mod 2 (the quadrants where x1 x2 < 0 are
 *               class 1); x = centre + sigma (z1, z2); K = 2
 *   circles     k = i mod 2; radius 1 (k = 0) or 0.5 (k = 1);
 *               t = 2 pi u; x = radius (cos t, sin t) + sigma (z1, z2); K = 2
 *   spiral      k = i mod K; t = u; a = 2 pi k/K + 4 t + sigma z;
 *               x = t (cos a, sin a)           (K arms of 4 radians each)
 *   multilabel  p = (4 u1 - 2, 4 u2 - 2); label k (of K, independent) is 1
 *               when cos(pi k/K) p1 + sin(pi k/K) p2 > k/K, else 0;
 *               x = p + sigma (z1, z2)
 * Default noise: blobs 1, xor 0.25, circles 0.1, spiral 0.2, multilabel
 * 0.2; default K: 2 (blobs, xor, circles), 3 (spiral, multilabel).
 *
 * The CSV file (x1,x2,...,label; the core does no I/O, the caller feeds
 * it line by line): fields separated by commas, blanks around a field
 * ignored, blank lines skipped, a trailing CR ignored.  The first line is a
 * header when any of its fields is not a number.  Every row has as many
 * fields as the first (header or row); at least one feature and the label;
 * features are finite numbers; the label is a class index: an integer in
 * [0, K) with K from the caller, or in [0, DATA_MAX_CLASSES) with K = the
 * largest label + 1 (at least 2).  At most DATA_MAX_ROWS rows.
 */
#ifndef LOSSLAB_CORE_DATA_H
#define LOSSLAB_CORE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "core/mat.h"

#define RNG_STREAM_DATA		1
#define RNG_STREAM_INIT		2
#define RNG_STREAM_ORDER	3

#define DATA_MAX_ROWS		1000000	/* points, generated or read */
#define DATA_MAX_CLASSES	1000	/* K */
#define DATA_MAX_FEATURES	1000	/* columns of x */

struct rng {
	uint64_t	 s[4];	/* xoshiro256** state */
};

/* Seed stream `stream` of `seed` (see above).  Never fails. */
void	 rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* A uniform double in [0, 1) (53 bits). */
double	 rng_uniform(struct rng *r);
/* A standard normal (Box-Muller, two uniforms per value). */
double	 rng_normal(struct rng *r);
/* A uniform integer in [0, n), without bias; 0 when n is 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* p = a uniformly random permutation of 0..n-1 (identity, then
   Fisher-Yates as above). */
void	 rng_permutation(struct rng *r, size_t *p, size_t n);

enum data_kind {
	DATA_BLOBS,
	DATA_XOR,
	DATA_CIRCLES,
	DATA_SPIRAL,
	DATA_MULTILABEL,
	DATA_CSV,		/* the learner's file */
	DATA_KIND_COUNT
};

/* A data set: n points of d features and their labels. */
struct data {
	enum data_kind	 kind;
	size_t		 n;		/* points (rows of x) */
	size_t		 d;		/* features (columns of x) */
	int		 classes;	/* K >= 2 */
	int		 multilabel;	/* y is n x K of 0/1 (multilabel), not
					   n class indices */
	struct mat	 x;		/* n x d, 2-D */
	struct mat	 y;		/* 1-D of n class indices 0..K-1, or
					   n x K of 0/1 */
};

#define DATA_INIT { DATA_BLOBS, 0, 0, 0, 0, MAT_INIT, MAT_INIT }

/*
 * The box of d's 2-D points (d->d == 2) as box[0..3] = x1 min, x1 max,
 * x2 min, x2 max, each side padded by frac of its range (by frac of the
 * value, or 1, when every point has the same coordinate).  Never fails.
 */
void	 data_bounds(const struct data *d, double frac, double box[4]);
/* Point i's group: its class, or for multilabel data its labels as bits
   (label k, k < 16: 2^k). */
unsigned data_group(const struct data *d, size_t i);

/* "blobs", "xor", "circles", "spiral", "multilabel", "csv". */
const char *data_kind_name(enum data_kind k);
/* Parse a generated kind's name (not "csv"); 0, or -1 if unknown. */
int	 data_kind_parse(const char *name, enum data_kind *k);
/* The default K and noise of a generated kind (see above). */
int	 data_default_classes(enum data_kind k);
double	 data_default_noise(enum data_kind k);

/*
 * Generate n points of kind k (not DATA_CSV) with K classes and noise
 * sigma from seed into *out (overwritten; free with data_free).  Returns 0,
 * or -1 with e set: n outside [1, DATA_MAX_ROWS], K outside
 * [2, DATA_MAX_CLASSES] or not 2 for xor and circles, sigma negative or not
 * finite, out of memory.
 */
int	 data_generate(struct data *out, enum data_kind k, size_t n,
	    int classes, double noise, uint64_t seed, struct err *e);
/* Free the data and reset d to DATA_INIT; safe twice. */
void	 data_free(struct data *d);

/* The CSV reader's state; data_csv_init() first, data_csv_free() last. */
struct data_csv {
	size_t		 line;		/* lines fed so far (1-based number of
					   the last line) */
	int		 classes;	/* K given by the caller, or 0 */
	size_t		 fields;	/* fields per row (0: none seen yet) */
	size_t		 first_line;	/* the line that set `fields` */
	int		 header;	/* that line was a header */
	size_t		 rows, cap;	/* rows read, room for cap */
	double		*x;		/* rows x (fields - 1) */
	double		*y;		/* rows labels */
	double		 maxlabel;
};

/* Start reading a CSV file; classes is K (>= 2), or 0 to take K from the
   labels. */
void	 data_csv_init(struct data_csv *c, int classes);
/*
 * Feed the next line (without or with its newline; NUL-terminated).
 * Returns 0, or -1 with e set to a message without the location (the
 * caller prefixes FILE:c->line): ragged rows ("3 fields, expected 4 as on
 * line 1"), a field that is not a number, a feature that is not finite, a
 * label that is not an integer or out of range, a row of only one field,
 * more than DATA_MAX_ROWS rows or DATA_MAX_FEATURES features, out of
 * memory.
 */
int	 data_csv_line(struct data_csv *c, const char *line, struct err *e);
/*
 * The data read (moved into *out, kind DATA_CSV; free with data_free).
 * Returns 0, or -1 with e set (no location; the caller says the file): no
 * data rows, fewer than 2 classes (every label the same 0), out of memory.
 */
int	 data_csv_finish(struct data_csv *c, struct data *out, struct err *e);
void	 data_csv_free(struct data_csv *c);

#endif
