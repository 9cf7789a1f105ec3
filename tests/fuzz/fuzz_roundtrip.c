/*
 * fuzz_roundtrip.c -- libFuzzer target: lesson_parse -> lesson_write ->
 * lesson_load (src/lesson.h: "it always loads, with exactly the values of
 * `steps`").
 *
 * The input is a lesson file.  When it parses, the lesson is written into
 * a private directory (on tmpfs when there is one) with the lesson's own
 * values, and in one input in four with a learner's edit as well (a hash
 * of the input picks a step, a cell of its input and a new value, and
 * maybe another reduction).  Invariants: writing the lesson's own values
 * never fails; whenever a copy is written, it loads, as id ID-mine with
 * the title given, the header and every step's texts, plot, marks and
 * question as the original's, and every step's values (loss, tensors,
 * options, pitfall) exactly those that were written.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "fuzz.h"
#include "lessoncheck.h"

static char	 dir[256];

static void
cleanup(void)
{
	if (dir[0] != '\0')
		rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "%s/losslab-fuzz-rt-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	atexit(cleanup);
	return 0;
}

static void
compare(const struct lesson *l, const struct lesson_step *steps,
    const struct lesson *w)
{
	const char	*d;
	char		 id[1024];
	size_t		 i;

	snprintf(id, sizeof id, "%s-mine", l->id);
	FZ_CHECK(strcmp(w->id, id) == 0, "id '%s', not '%s'", w->id, id);
	FZ_CHECK(strcmp(w->title, l->title) == 0, "title '%s', not '%s'",
	    w->title, l->title);
	FZ_CHECK(strcmp(w->lang, l->lang) == 0 && strcmp(w->summary,
	    l->summary) == 0 && w->loss == l->loss && w->options == l->options
	    && w->nsteps == l->nsteps, "the header differs");
	for (i = 0; i < l->nsteps; i++) {
		d = lc_diff_values(&steps[i], &w->steps[i]);
		FZ_CHECK(d == NULL, "step %zu: the %s differs", i + 1, d);
		d = lc_diff_rest(&l->steps[i], &w->steps[i]);
		FZ_CHECK(d == NULL, "step %zu: the %s differs", i + 1, d);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double	 vals[] = { 0.1, -0.0, 1e-310, 3, -2.5,
	    INFINITY, -INFINITY, NAN, 1e300, 0.30000000000000004, 7 };
	struct lesson		*l, *w;
	struct lesson_step	*steps;
	struct mat		 edited = MAT_INIT;
	struct err		 err;
	char			 path[4096];
	uint64_t		 h = 1469598103934665603u;
	size_t			 i, k;
	int			 rc, edit;

	if ((l = lesson_parse("fuzz.lesson", (const char *)data, size,
	    &err)) == NULL)
		return 0;
	lc_check(l);
	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211u;
	if ((steps = malloc(l->nsteps * sizeof *steps)) == NULL)
		abort();
	memcpy(steps, l->steps, l->nsteps * sizeof *steps);
	edit = h % 4 == 0;
	if (edit) {
		k = (h >> 8) % l->nsteps;
		if (mat_copy(&edited, &steps[k].input, NULL) != 0)
			abort();
		if (edited.rows * edited.cols > 0)
			edited.v[(h >> 16) % (edited.rows * edited.cols)] =
			    vals[(h >> 32) % (sizeof vals / sizeof vals[0])];
		steps[k].input = edited;
		if ((h >> 40) % 3 == 0)
			steps[k].opts.reduction = (h >> 44) % 2 ?
			    LOSS_REDUCTION_SUM : LOSS_REDUCTION_NONE;
	}
	rc = lesson_write(l, steps, dir, l->title, path, sizeof path, &err);
	FZ_CHECK(rc == 0 || edit, "the lesson's own values are not saved: %s",
	    err.msg);
	if (rc == 0) {
		w = lesson_load(path, &err);
		FZ_CHECK(w != NULL, "the copy does not load: %s", err.msg);
		unlink(path);
		lc_check(w);
		compare(l, steps, w);
		lesson_free(w);
	}
	mat_free(&edited);
	free(steps);
	lesson_free(l);
	return 0;
}
